"""openness-xl: the Openness Index (Индекс открытости) of Kazakhstan's government bodies.

The scoring core. It knows nothing of Excel: the Excel functions live in `udfs/`,
workbook generation in `openness_xl.workbooks`.
"""
__version__ = "0.1.0"
