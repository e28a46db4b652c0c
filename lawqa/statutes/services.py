"""INTERIM (lead): the statutes helper replaces this module, keeping the signatures."""

from lawqa.common.markdown import render_markdown


def render_answer_html(markdown_text: str) -> str:
    return render_markdown(markdown_text)


def record_citations(*, answer) -> None:
    return None
