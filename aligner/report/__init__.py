"""Reports: `view.build_view` decides what a report says; each format module only renders that view.

`registry` lists the formats (terminal, md, json, csv, xlsx, html) and is the entry point:
`registry.render_report(alignment, "md", RenderOptions(...))`. Rendering returns str or bytes
and never touches the file system; `write.write_atomic` is the one place that writes, so a
failed render can never leave a half-written report.
"""
