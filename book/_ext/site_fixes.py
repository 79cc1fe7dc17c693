"""Small fixes to the rendered site, each for a console error a reader would get.

- sphinx-thebe adds its configuration script once per read phase; a book with glued
  outputs is read twice, so the page declared `const THEBE_JS_URL` twice and the
  browser reported a SyntaxError. Keep one copy of each inline script.
"""


def dedupe_inline_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        body = getattr(script, "attributes", {}).get("body") if hasattr(script, "attributes") else None
        key = ("body", body) if body else ("src", str(script))
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    if "script_files" in context:
        context["script_files"][:] = kept


def setup(app):
    app.connect("html-page-context", dedupe_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
