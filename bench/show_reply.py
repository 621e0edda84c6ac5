"""Print a real reply of the bot as a Telegram user sees it: the real Application, polling the fake Bot API
of tests/fakes on 127.0.0.1, answering from an index of seeds/ (or ``--data-dir``).

    python -m bench.show_reply "How many Afghans has Pakistan deported?" [--press 2] [--language ur]

Lines inside an expandable blockquote (folded on a phone until tapped) are prefixed with "▌ "; buttons are
shown as ``[ label ]``. ``--press N`` also presses the N-th source button and prints what it shows. Needs the
test extras (aiohttp); the README's example reply is made with it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.bot_api import Call, FakeBotApi, User  # noqa: E402
from fakes.polling import polling  # noqa: E402

from bot.answering.service import AnswerService  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram.application import build_application  # noqa: E402

QUIET_S = 1.5


def as_seen(text: str, entities: list[dict[str, Any]], buttons: list[dict[str, Any]]) -> str:
    """A message's text with its folded lines marked, then its buttons."""
    units = text.encode("utf-16-le")
    folded: set[int] = set()  # line numbers inside an expandable blockquote
    for entity in entities:
        if entity["type"] == "expandable_blockquote":
            start = units[: 2 * entity["offset"]].decode("utf-16-le").count("\n")
            inside = units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")
            folded.update(range(start, start + inside.count("\n") + 1))
    lines = [("▌ " if number in folded else "") + line for number, line in enumerate(text.split("\n"))]
    rows = [" ".join(f"[ {b['text']} ]" for b in buttons)] if buttons else []
    return "\n".join(lines + rows)


async def wait_quiet(api: FakeBotApi, chat_id: int, before: int) -> list[Call]:
    """The messages sent to ``chat_id`` after the first ``before``, once none came for a moment."""
    await api.wait_for_calls("sendMessage", before + 1, chat_id=chat_id, timeout=120)
    count, since = -1, time.monotonic()
    while time.monotonic() - since < QUIET_S:
        now = len(api.calls_to("sendMessage", chat_id=chat_id))
        if now != count:
            count, since = now, time.monotonic()
        await asyncio.sleep(0.1)
    return api.calls_to("sendMessage", chat_id=chat_id)[before:]


async def show(question: str, data_dir: Path, press: int | None, language: str | None) -> None:
    """Ask ``question`` through the real bot and print what the chat shows."""
    async with FakeBotApi() as api:
        settings = Settings(data_dir=data_dir, telegram_bot_token=api.token, telegram_api_base_url=api.base_url)
        app = build_application(settings, AnswerService.from_settings(settings))
        async with polling(app):
            user = User(4040, "Reader", language_code=language)
            chat = api.private_chat(user)
            api.push_text(chat, user, question)
            calls = await wait_quiet(api, chat.id, 0)
            for call in calls:
                stored = api.message(chat.id, call.result["message_id"])
                print(as_seen(stored["text"], stored.get("entities", []), call.buttons), end="\n\n")
            buttons = calls[-1].buttons
            if press is not None and 1 <= press <= len(buttons):
                before = len(api.calls_to("sendMessage", chat_id=chat.id))
                api.push_callback(user, calls[-1].result, buttons[press - 1]["callback_data"])
                for call in await wait_quiet(api, chat.id, before):
                    stored = api.message(chat.id, call.result["message_id"])
                    print(f"(after pressing {buttons[press - 1]['text']})")
                    print(as_seen(stored["text"], stored.get("entities", []), call.buttons))


def main() -> None:
    """Parse the arguments and print the reply."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("question")
    parser.add_argument("--data-dir", type=Path, help="an index to answer from (default: a fresh one of seeds/)")
    parser.add_argument("--press", type=int, help="also press this source button (1 = the first)")
    parser.add_argument("--language", help="the user's Telegram language_code (for /start and /help)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        asyncio.run(show(args.question, args.data_dir or Path(scratch), args.press, args.language))


if __name__ == "__main__":
    main()
