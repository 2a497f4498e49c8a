"""Bills exported by Alipay, WeChat Pay and JD "for personal reconciliation": read them
(``read``), pick out and match the repayments (``match``), and sum the spending (``budget``).

Pure: bytes in, records out. The preamble (the holder's real name and account) is never kept.
"""
