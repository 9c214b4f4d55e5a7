"""Slack emoji shortcodes the sandbox pages show as emoji; unknown names stay `:name:` as Slack shows custom ones."""

from __future__ import annotations

import re

EMOJI = {
    # what the bot and the bundled workspace use
    "white_check_mark": "✅", "heavy_check_mark": "✔️", "check": "✔️", "ballot_box_with_check": "☑️",
    "warning": "⚠️", "x": "❌", "negative_squared_cross_mark": "❎", "no_entry": "⛔", "no_entry_sign": "🚫",
    "hourglass_flowing_sand": "⏳", "hourglass": "⌛", "stopwatch": "⏱️", "alarm_clock": "⏰", "clock1": "🕐",
    "memo": "📝", "pencil": "📝", "pencil2": "✏️", "link": "🔗", "paperclip": "📎", "pushpin": "📌",
    "rotating_light": "🚨", "mag": "🔍", "mag_right": "🔎", "arrows_counterclockwise": "🔄", "repeat": "🔁",
    "bulb": "💡", "fire": "🔥", "boom": "💥", "zap": "⚡", "rocket": "🚀", "tada": "🎉", "sparkles": "✨",
    "eyes": "👀", "pray": "🙏", "raised_hands": "🙌", "clap": "👏", "muscle": "💪", "wave": "👋",
    "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "ok_hand": "👌", "point_right": "👉",
    "point_up": "☝️", "raising_hand": "🙋", "shrug": "🤷", "facepalm": "🤦", "thinking_face": "🤔",
    "smile": "😄", "smiley": "😃", "grinning": "😀", "joy": "😂", "slightly_smiling_face": "🙂", "wink": "😉",
    "sweat_smile": "😅", "scream": "😱", "cry": "😢", "sob": "😭", "confused": "😕", "neutral_face": "😐",
    "disappointed": "😞", "grimacing": "😬", "sunglasses": "😎", "heart_eyes": "😍", "upside_down_face": "🙃",
    "rage": "😡", "angry": "😠", "skull": "💀", "ghost": "👻", "robot_face": "🤖", "see_no_evil": "🙈",
    "heart": "❤️", "broken_heart": "💔", "100": "💯", "star": "⭐", "star2": "🌟", "trophy": "🏆",
    "mailbox_with_mail": "📬", "email": "📧", "envelope": "✉️", "incoming_envelope": "📨", "inbox_tray": "📥",
    "calendar": "📆", "date": "📅", "chart_with_upwards_trend": "📈", "chart_with_downwards_trend": "📉",
    "bar_chart": "📊", "clipboard": "📋", "page_facing_up": "📄", "bookmark_tabs": "📑", "books": "📚",
    "notebook": "📓", "file_folder": "📁", "open_file_folder": "📂", "card_index": "📇", "ticket": "🎫",
    "lock": "🔒", "unlock": "🔓", "key": "🔑", "bell": "🔔", "no_bell": "🔕", "loudspeaker": "📢",
    "mega": "📣", "speech_balloon": "💬", "thought_balloon": "💭", "information_source": "ℹ️",
    "question": "❓", "grey_question": "❔", "exclamation": "❗", "heavy_exclamation_mark": "❗",
    "bangbang": "‼️", "red_circle": "🔴", "large_green_circle": "🟢", "large_yellow_circle": "🟡",
    "large_blue_circle": "🔵", "white_circle": "⚪", "black_circle": "⚫", "construction": "🚧",
    "hammer_and_wrench": "🛠️", "wrench": "🔧", "hammer": "🔨", "gear": "⚙️", "package": "📦",
    "computer": "💻", "iphone": "📱", "globe_with_meridians": "🌐", "moneybag": "💰", "dollar": "💵",
    "shopping_trolley": "🛒", "shopping_cart": "🛒", "credit_card": "💳", "gift": "🎁", "label": "🏷️",
    "coffee": "☕", "pizza": "🍕", "cake": "🍰", "beers": "🍻", "dog": "🐶", "cat": "🐱", "bug": "🐛",
    "sunny": "☀️", "cloud": "☁️", "umbrella": "☂️", "snowflake": "❄️", "rainbow": "🌈",
    "arrow_right": "➡️", "arrow_left": "⬅️", "arrow_up": "⬆️", "arrow_down": "⬇️", "leftwards_arrow_with_hook": "↩️",
    "heavy_plus_sign": "➕", "heavy_minus_sign": "➖", "new": "🆕", "sos": "🆘", "ok": "🆗", "up": "🆙",
    "checkered_flag": "🏁", "triangular_flag_on_post": "🚩", "dart": "🎯", "crystal_ball": "🔮",
    "hourglass_done": "⌛", "spiral_note_pad": "🗒️", "writing_hand": "✍️", "handshake": "🤝", "busts_in_silhouette": "👥",
    "bust_in_silhouette": "👤", "ambulance": "🚑", "fire_engine": "🚒", "police_car": "🚓", "sos_button": "🆘",
}
_CODE = re.compile(r":([a-z0-9_+\-']+):(?::skin-tone-[2-6]:)?")


def emojify(text: str) -> str:
    """Replace known :shortcodes: with their emoji; safe on HTML-escaped text (it only touches `:word:` runs)."""
    return _CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
