"""A modal view as the Slack client draws it: title bar, blocks and input blocks with their errors, Cancel/Submit."""

from __future__ import annotations

import html

from sandbox.slack import blockkit, controls, messages

TROUBLE = "We had some trouble connecting. Try again?"  # Slack's banner when the app does not answer a submit


def _input(s, b: dict, n: int, at: str, state: dict, error: str | None) -> str:
    """An input block: label (with "(optional)"), the element, the error Slack shows in red, then the grey hint."""
    bid, el = str(b.get("block_id") or ""), b.get("element") or {}
    dom_id = f"bk-in-{n}"
    current = (state.get(bid) or {}).get(str(el.get("action_id") or ""))
    ctl = controls.control(s, el, bid, current, dispatch=bool(b.get("dispatch_action")), where=at, dom_id=dom_id)
    optional = ' <span class="bk-optional">(optional)</span>' if b.get("optional") else ""
    tag = "div" if el.get("type") in ("checkboxes", "radio_buttons") else f'label for="{dom_id}"'
    label = f'<{tag} class="bk-label">{blockkit.text_obj(s, b.get("label"))}{optional}</{tag.split()[0]}>'
    err = f'<div class="bk-error" role="alert">{html.escape(str(error))}</div>' if error else ""
    hint = f'<div class="bk-hint">{blockkit.text_obj(s, b.get("hint"))}</div>' if b.get("hint") else ""
    cls = "bk-input" + (" has-error" if error else "")
    required = "" if b.get("optional") else ' data-required="1"'
    return f'<div class="{cls}" data-block-id="{html.escape(bid, quote=True)}"{required}>{label}{ctl}{err}{hint}</div>'


def body(s, view: dict, errors: dict | None = None) -> str:
    """The view's blocks; `errors` maps block_id to the message the app returned with response_action errors."""
    at = blockkit.where(view_id=view.get("id"))
    state = ((view.get("state") or {}).get("values")) or {}
    out = []
    for n, b in enumerate(view.get("blocks") or []):
        if not isinstance(b, dict):
            continue
        try:
            if b.get("type") == "input":
                out.append(_input(s, b, n, at, state, (errors or {}).get(str(b.get("block_id") or ""))))
            else:
                out.append(blockkit.block(s, b, at, state))
        except (TypeError, ValueError, AttributeError, KeyError):  # a malformed block must not break the modal
            out.append('<div class="bk-unknown">[unreadable block]</div>')
    return "".join(out)


def render(s, view: dict, errors: dict | None = None, depth: int = 1) -> str:
    """The top view of a person's modal stack; `depth` > 1 shows Slack's back arrow (Cancel returns to the view
    below unless clear_on_close)."""
    vid = html.escape(str(view.get("id") or ""), quote=True)
    title = blockkit.text_obj(s, view.get("title"))
    back = '<button type="button" class="modal-back" data-close="one" aria-label="Back">←</button>' if depth > 1 \
        else ""
    submit = (f'<button type="submit" class="modal-submit">{blockkit.text_obj(s, view["submit"])}</button>'
              if view.get("submit") else "")
    close = blockkit.text_obj(s, view.get("close")) or ("Cancel" if submit else "Close")
    which = "all" if view.get("clear_on_close") else "one"
    return (f'<div class="modal-backdrop" id="modal" data-view-id="{vid}" data-depth="{depth}">'
            f'<form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-view-id="{vid}"'
            f' novalidate><header class="modal-head">{back}{messages.avatar(s, s.bot_user_id)}'
            f'<h2 id="modal-title">{title}</h2>'
            '<button type="button" class="modal-x" data-close="all" aria-label="Close">×</button></header>'
            '<div class="modal-alert" role="alert" hidden></div>'
            f'<div class="modal-body">{body(s, view, errors)}</div><footer class="modal-foot">'
            f'<button type="button" class="modal-cancel" data-close="{which}">{close}</button>{submit}</footer>'
            '</form></div>')
