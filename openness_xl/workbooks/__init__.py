"""Workbooks: the input template, the report workbook and the live (UDF) workbook.

Written with XlsxWriter so that every formula cell carries the value the core computed
(the file reads correctly in any viewer and before recalculation) and so that the same
inputs give byte-identical files.
"""
from ..extras import require

require("workbooks", "workbooks")
