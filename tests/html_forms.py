"""Read a page's form the way a browser submits it: the data of its named controls."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self.select: str | None = None
        self.multiple = False
        self.options: list[str] = []
        self.chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and self.form_class in found.get("class", "").split():
            self.inside = True
        if not self.inside or "disabled" in found:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.data.append((name, found.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select, self.multiple = name, "multiple" in found
            self.options, self.chosen = [], False
        elif tag == "option" and self.select is not None:
            self.options.append(found.get("value", ""))
            if "selected" in found:
                self.data.append((self.select, found.get("value", "")))
                self.chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            # A single select with no option marked sends its first one.
            if not (self.chosen or self.multiple) and self.options:
                self.data.append((self.select, self.options[0]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            self.data.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)


def form_data(html: str, form_class: str) -> dict[str, list[str]]:
    """The values a browser would send for the form with ``form_class`` (repeated names as
    lists, as ``Client.post`` takes them)."""
    reader = _FormReader(form_class)
    reader.feed(html)
    submitted: dict[str, list[str]] = {}
    for name, value in reader.data:
        submitted.setdefault(name, []).append(value)
    return submitted
