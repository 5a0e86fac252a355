"""Spreadsheet semantics and formula text, without a spreadsheet library: cells, native formulas, xlwings Lite."""
