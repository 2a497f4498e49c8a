"""repaycli: a repayment-negotiation assistant for overdue consumer credit."""

__version__ = "0.1.0"
