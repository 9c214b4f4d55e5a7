"""The workspace format's Markdown subset becomes the Notion blocks the API would create."""

from __future__ import annotations

from sandbox.notion.markdown import markdown_to_blocks


def test_markdown_converts_each_construct_of_the_format():
    blocks = markdown_to_blocks("Intro with `code` and [a link](https://x.test)\n# One\n## Two\n### Three\n"
                                "- bullet\n  - nested\n1. numbered\n- [ ] open\n- [x] done\n> quote\n"
                                "```python\nprint(1)\n```\n| a | b |\n|---|---|\n| c | d |\n" + "z" * 2500)
    assert [b["type"] for b in blocks] == ["paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item",
                                           "numbered_list_item", "to_do", "to_do", "quote", "code", "table",
                                           "paragraph"]
    intro = blocks[0]["paragraph"]["rich_text"]
    assert intro[1]["annotations"] == {"code": True} and intro[3]["text"]["link"] == {"url": "https://x.test"}
    assert blocks[4]["bulleted_list_item"]["children"][0]["bulleted_list_item"]["rich_text"][0]["text"][
        "content"] == "nested"
    assert [b["to_do"]["checked"] for b in blocks[6:8]] == [False, True]
    assert blocks[9]["code"]["language"] == "python"
    assert blocks[9]["code"]["rich_text"][0]["text"]["content"] == "print(1)"
    table = blocks[10]["table"]
    assert table["table_width"] == 2 and table["has_column_header"] and len(table["children"]) == 2
    assert [len(i["text"]["content"]) for i in blocks[11]["paragraph"]["rich_text"]] == [2000, 500]
