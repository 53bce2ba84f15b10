"""One Chinese term per concept: the glossary's (NNDL's) term, never a synonym.

Each row names a concept's glossary term and the variants that circulate for it
(in other textbooks, translations and blog posts); no page or notebook may use a
variant, and the glossary must still define the term.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = (ROOT / "glossary.md").read_text(encoding="utf-8")
TEXTS = sorted(
    [
        p
        for folder in ("chapters", "solutions", "exercises", "exercises/zh")
        for p in (ROOT / folder).glob("*.ipynb")
    ]
    + list(ROOT.glob("*.md"))
    + list((ROOT / "locales").glob("**/*.po"))
    + list((ROOT / "bptt" / "locale").glob("**/*.po"))
)

# glossary term: variants that must not appear
SYNONYMS = {
    "梯度截断": ["梯度裁剪", "梯度修剪"],
    "随时间反向传播": ["沿时间反向传播", "基于时间的反向传播"],
    "误差项": ["误差信号项"],
    "遗忘门": ["忘记门"],
    "候选状态": ["候选记忆", "候选单元"],
}


@pytest.mark.parametrize("term", sorted(SYNONYMS))
def test_glossary_defines_the_term(term):
    assert f"\n{term}\n" in GLOSSARY, f"glossary.md has no entry {term}"


@pytest.mark.parametrize(
    "path", TEXTS, ids=[str(p.relative_to(ROOT)).replace("/", ":") for p in TEXTS]
)
def test_pages_use_the_glossary_term(path):
    text = path.read_text(encoding="utf-8")
    found = [
        (variant, term)
        for term, variants in SYNONYMS.items()
        for variant in variants
        if variant in text
    ]
    assert not found, (
        f"{path.name}: use {found[0][1]} (the glossary's term), not {found[0][0]}"
    )
