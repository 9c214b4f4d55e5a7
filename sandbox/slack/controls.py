"""Block Kit's stateful elements as HTML form controls, showing what a person entered or else the initial value."""

from __future__ import annotations

import hashlib
import html

from sandbox.slack import blockkit, viewstate

_TEXT_TYPES = {"plain_text_input": "text", "number_input": "text", "email_text_input": "email",
               "url_text_input": "url", "datepicker": "date", "timepicker": "time"}


def _a(value) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def options(s, el: dict) -> list[dict]:
    """Every option an element offers; user and conversation menus list the workspace's people and channels."""
    kind = el.get("type") or ""
    if kind.endswith("users_select"):
        return [{"text": {"type": "plain_text", "text": u.real_name or u.name}, "value": u.id}
                for u in s.users.values() if not u.is_bot]
    if kind.endswith(("conversations_select", "channels_select")):
        return [{"text": {"type": "plain_text", "text": f"#{c.name}"}, "value": c.id} for c in s.channels.values()
                if not c.private or s.bot_user_id in c.members]
    return viewstate.options(el)


def chosen(el: dict, current: dict | None) -> list[str]:
    """The raw values shown as entered: the person's last state if any, else the element's initial_* field."""
    key = viewstate.STATE_KEYS.get(el.get("type") or "")
    if key is None:
        return []
    got = current[key] if current is not None and key in current else viewstate.initial(el)[key]
    if got is None or got == "":
        return []
    items = got if isinstance(got, list) else [got]
    return [str(i.get("value", "")) if isinstance(i, dict) else str(i) for i in items]


def _option_tags(s, el: dict, picked: list[str]) -> str:
    def tag(o: dict) -> str:
        sel = " selected" if str(o.get("value")) in picked else ""
        return f'<option value="{_a(o.get("value"))}"{sel}>{blockkit.text_obj(s, o.get("text"))}</option>'

    if el.get("option_groups"):
        return "".join(f'<optgroup label="{_a((g.get("label") or {}).get("text"))}">'
                       f'{"".join(tag(o) for o in g.get("options") or [])}</optgroup>' for g in el["option_groups"])
    return "".join(tag(o) for o in options(s, el))


def _group(*parts: str) -> str:
    """A radio group's name, unique on the page: the same block may be in several messages."""
    return "g" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def _choices(s, el: dict, picked: list[str], name: str) -> str:
    kind = "checkbox" if el.get("type") == "checkboxes" else "radio"
    rows = []
    for o in options(s, el):
        on = " checked" if str(o.get("value")) in picked else ""
        desc = f'<small class="bk-desc">{blockkit.text_obj(s, o["description"])}</small>' if o.get("description") \
            else ""
        rows.append(f'<label class="bk-choice"><input type="{kind}" name="{_a(name)}" value="{_a(o.get("value"))}"'
                    f'{on}><span>{blockkit.text_obj(s, o.get("text"))}{desc}</span></label>')
    return "".join(rows)


def control(s, el: dict, block_id: str, current: dict | None = None, dispatch: bool = False,
            where: str = "", dom_id: str = "") -> str:
    """A form control carrying block_id/action_id (and `where`: its message or view); `dispatch` marks one whose
    change is sent to the app as block_actions, as Slack does outside input blocks."""
    kind = el.get("type") or ""
    picked = chosen(el, current)
    action_id = str(el.get("action_id") or "")
    attrs = (f'class="bk-control" data-type="{_a(kind)}" data-block-id="{_a(block_id)}" '
             f'data-action-id="{_a(action_id)}"{where}' + (' data-dispatch="1"' if dispatch else "") +
             (f' id="{_a(dom_id)}"' if dom_id else ""))
    hint = blockkit.text_obj(s, el.get("placeholder"))
    if kind == "plain_text_input" and el.get("multiline"):
        limit = f' maxlength="{int(el["max_length"])}"' if el.get("max_length") else ""
        return (f'<textarea {attrs} rows="4" placeholder="{_a(html.unescape(hint))}"{limit}>'
                f'{_a(picked[0] if picked else "")}</textarea>')
    if kind in _TEXT_TYPES:
        limit = f' maxlength="{int(el["max_length"])}"' if el.get("max_length") else ""
        mode = ' inputmode="decimal"' if kind == "number_input" else ""
        return (f'<input {attrs} type="{_TEXT_TYPES[kind]}" value="{_a(picked[0] if picked else "")}" '
                f'placeholder="{_a(html.unescape(hint))}"{limit}{mode}>')
    if kind in ("checkboxes", "radio_buttons"):
        return f'<div {attrs} role="group">{_choices(s, el, picked, _group(where, block_id, action_id))}</div>'
    if kind.endswith("select") and "external" not in kind:  # the menus (external ones need an options URL)
        multi = " multiple" if kind.startswith("multi_") else ""
        blank = "" if multi else f'<option value="">{hint or "Select an item"}</option>'
        return f'<select {attrs}{multi}>{blank}{_option_tags(s, el, picked)}</select>'
    label = hint or html.escape(kind.replace("_", " ") or "element")
    return f'<button class="bk-btn bk-other" type="button" disabled title="not in the sandbox">{label} ▾</button>'
