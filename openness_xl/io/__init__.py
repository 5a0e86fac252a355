"""Reading and writing files: inputs, untrusted workbooks, the published tables, results written atomically."""
