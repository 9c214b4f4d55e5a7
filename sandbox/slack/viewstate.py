"""Modal view payloads as Slack checks and stores them, and the state.values of their stateful elements."""

from __future__ import annotations

import copy
import json
import random
import string

from sandbox.slack.state import SlackError

TEXT_MAX = 24  # title, submit and close: "max length of 24 characters"
MAX_BLOCKS = 100
LIMITS = {"private_metadata": 3000, "callback_id": 255, "external_id": 255}
# Element type -> the key its entry has in state.values (initial_<the rest> seeds it: selected_option/initial_option).
STATE_KEYS = {
    "plain_text_input": "value", "number_input": "value", "email_text_input": "value", "url_text_input": "value",
    "static_select": "selected_option", "external_select": "selected_option", "radio_buttons": "selected_option",
    "multi_static_select": "selected_options", "multi_external_select": "selected_options",
    "checkboxes": "selected_options", "users_select": "selected_user", "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation", "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel", "multi_channels_select": "selected_channels",
    "datepicker": "selected_date", "timepicker": "selected_time", "datetimepicker": "selected_date_time",
}
_ID_CHARS = string.ascii_letters + string.digits


def _invalid(*messages: str) -> SlackError:
    return SlackError("invalid_arguments", response_metadata={"messages": list(messages)})


def parse(raw) -> dict:
    """The `view` argument: a JSON-encoded string (form posts) or an object (JSON bodies)."""
    if raw in (None, ""):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise _invalid("[ERROR] failed to parse view [json-pointer:/view]") from None
    if not isinstance(raw, dict):
        raise _invalid("[ERROR] must be an object [json-pointer:/view]")
    return raw


def _plain(view: dict, name: str, required: bool, problems: list[str]) -> None:
    obj = view.get(name)
    if obj is None:
        if required:
            problems.append(f"[ERROR] missing required field: {name} [json-pointer:/view]")
        return
    if not isinstance(obj, dict) or obj.get("type") != "plain_text" or not isinstance(obj.get("text"), str):
        problems.append(f"[ERROR] must be a plain_text text object [json-pointer:/view/{name}]")
    elif len(obj["text"]) > TEXT_MAX:
        problems.append(f"[ERROR] must be less than {TEXT_MAX + 1} characters [json-pointer:/view/{name}/text]")
    else:
        obj.setdefault("emoji", True)


def check_modal(raw) -> dict:
    """A copy of a modal view with Slack's defaults and generated ids, or invalid_arguments naming each problem."""
    view = copy.deepcopy(parse(raw))
    problems: list[str] = []
    if not view:
        raise _invalid("[ERROR] missing required field: view")
    if view.get("type") != "modal":
        problems.append("[ERROR] must be 'modal' [json-pointer:/view/type]" if view.get("type")
                        else "[ERROR] missing required field: type [json-pointer:/view]")
    _plain(view, "title", True, problems)
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        problems.append("[ERROR] missing required field: blocks [json-pointer:/view]")
        blocks = []
    elif len(blocks) > MAX_BLOCKS:
        problems.append(f"[ERROR] no more than {MAX_BLOCKS} items allowed [json-pointer:/view/blocks]")
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_input and view.get("submit") is None:
        problems.append("[ERROR] submit is required when an input block is within the blocks array "
                        "[json-pointer:/view]")
    _plain(view, "submit", False, problems)
    _plain(view, "close", False, problems)
    for name, top in LIMITS.items():
        if len(str(view.get(name) or "")) > top:
            problems.append(f"[ERROR] must be less than {top + 1} characters [json-pointer:/view/{name}]")
    problems += _check_blocks(blocks)
    if problems:
        raise _invalid(*problems)
    view.setdefault("close", {"type": "plain_text", "text": "Cancel", "emoji": True})
    return view


def _new_id(n: int) -> str:
    return "".join(random.choices(_ID_CHARS, k=n))


def _check_blocks(blocks: list) -> list[str]:
    """Slack fills in missing block_ids and action_ids; a repeated block_id, or action_id within a block, fails."""
    problems, seen = [], set()
    for i, b in enumerate(blocks):
        where = f"[json-pointer:/view/blocks/{i}]"
        if not isinstance(b, dict) or not b.get("type"):
            problems.append(f"[ERROR] missing required field: type {where}")
            continue
        b.setdefault("block_id", _new_id(4))
        if b["block_id"] in seen:
            problems.append(f"[ERROR] duplicate block_id: {b['block_id']} {where}")
        seen.add(b["block_id"])
        if b["type"] == "input":
            for field in ("label", "element"):
                if not isinstance(b.get(field), dict):
                    problems.append(f"[ERROR] missing required field: {field} {where}")
        actions = set()
        for el in _elements(b):
            el.setdefault("action_id", _new_id(5))
            if el["action_id"] in actions:
                problems.append(f"[ERROR] duplicate action_id: {el['action_id']} {where}")
            actions.add(el["action_id"])
    return problems


def _elements(block: dict) -> list[dict]:
    """The interactive elements of a block: an input's element, a section's accessory, an actions block's list."""
    found = [block.get("element"), block.get("accessory")] + list(
        block.get("elements") or [] if block.get("type") == "actions" else [])
    return [el for el in found if isinstance(el, dict) and el.get("type") and el["type"] != "image"]


def stateful(blocks: list) -> list[tuple[dict, dict]]:
    """(block, element) for every element that keeps a value, in layout order."""
    return [(b, el) for b in blocks or [] if isinstance(b, dict) for el in _elements(b) if el["type"] in STATE_KEYS]


def options(el: dict) -> list[dict]:
    flat = list(el.get("options") or [])
    for group in el.get("option_groups") or []:
        flat += group.get("options") or []
    return flat


def entry(el: dict, given) -> dict:
    """An element's state.values entry: `given` may be the entry itself ({"type": ..., key: ...}) or a plain value
    (text; an option value or a list of them; True/False ticks every or no checkbox; a user or channel id)."""
    if isinstance(given, dict) and "type" in given:
        return dict(given)
    kind = el["type"]
    key = STATE_KEYS[kind]
    if key in ("selected_option", "selected_options"):
        offered = options(el)
        if given is True or given is False:
            wanted = [str(o.get("value")) for o in offered] if given else []
        else:
            wanted = [str(v) for v in (given if isinstance(given, (list, tuple)) else [given]) if v is not None]
        picked = [o for o in offered if str(o.get("value")) in wanted]
        if len(picked) < len(wanted):
            absent = sorted(set(wanted) - {str(o.get("value")) for o in picked})
            raise ValueError(f"{el.get('action_id')}: no option with value {absent}")
        return {"type": kind, key: picked if key.endswith("s") else (picked[0] if picked else None)}
    if key.endswith("s"):  # selected_users, selected_channels…
        return {"type": kind, key: [str(v) for v in (given if isinstance(given, (list, tuple)) else [given]) if v]}
    return {"type": kind, key: None if given in (None, "") else str(given)}


def initial(el: dict) -> dict:
    key = STATE_KEYS[el["type"]]
    value = el.get("initial_" + key.removeprefix("selected_"))  # initial_value, initial_option(s), initial_user…
    if value is None:
        value = [] if key.endswith("s") else None
    return {"type": el["type"], key: copy.deepcopy(value)}


def values(blocks: list, current: dict | None = None, given: dict | None = None) -> dict:
    """state.values for these blocks: `given` ({block_id: {action_id: entry or plain value}}) over what the person
    entered before (`current`), over each element's initial value."""
    out: dict = {}
    known = set()
    for b, el in stateful(blocks):
        bid, aid = b.get("block_id", ""), el.get("action_id", "")  # a message's blocks may lack them
        known.add((bid, aid))
        mine = (given or {}).get(bid, {})
        if aid in mine:
            value = entry(el, mine[aid])
        elif aid in (current or {}).get(bid, {}):
            value = copy.deepcopy(current[bid][aid])
        else:
            value = initial(el)
        out.setdefault(bid, {})[aid] = value
    unknown = [f"{b}.{a}" for b, acts in (given or {}).items() for a in acts if (b, a) not in known]
    if unknown:
        raise ValueError(f"no such input in the view: {', '.join(unknown)}")
    return out


def missing_required(blocks: list, state_values: dict) -> list[str]:
    """The input blocks Slack's client will not submit empty (optional is false unless set)."""
    out = []
    for b in blocks or []:
        if isinstance(b, dict) and b.get("type") == "input" and not b.get("optional"):
            el = b.get("element") or {}
            got = state_values.get(b.get("block_id"), {}).get(el.get("action_id"), {})
            if el.get("type") in STATE_KEYS and got.get(STATE_KEYS[el["type"]]) in (None, "", []):
                out.append(b["block_id"])
    return out


def input_blocks(blocks: list) -> set[str]:
    return {b["block_id"] for b in blocks or [] if isinstance(b, dict) and b.get("type") == "input"}
