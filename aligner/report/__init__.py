"""Report writers: each module turns an Alignment (or matrix columns) into one output format.

Rendering returns str or bytes and never touches the file system; `write.write_atomic`
is the one place that writes, so a failed render can never leave a half-written report.
"""
