"""aligner: align a province's implementation plan with the national plan it implements."""

__version__ = "0.1.0"
