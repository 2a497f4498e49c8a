"""The printable negotiation pack (``repaycli report``): ``build`` assembles what it shows from
the plan result, ``charts`` turns numbers into SVG geometry, ``page`` renders the Jinja2
templates shipped in ``templates/`` into one self-contained HTML file."""
