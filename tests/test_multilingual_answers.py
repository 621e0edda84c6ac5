"""Questions in Urdu, Pashto, Dari and Roman Urdu: figures in any digits, the asker's language, Answer.language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.openai_server import FakeOpenAIServer, Reply
from passages import make_passage

from bot.answering.checks import check_numbers, extract_figures
from bot.answering.llm import OpenAIAnswerer
from bot.answering.prompts import PromptLibrary
from bot.answering.service import AnswerService
from bot.errors import AnswerBackendError
from bot.settings import PROJECT_ROOT, Settings

API_KEY = "sk-test-policybot-multilingual-0001"


# Hand-built from the seed articles (seeds/06, 05, 04).
ARY = make_passage(
    1,
    "On Monday, 3,329 illegal foreigners went back to their homeland, among them 580 families of illegal Afghans "
    "travelling in 357 vehicles. The number of illegal immigrants who have returned to their home country now "
    "stands at 2,23,637.",
    "3239 more Afghans head home as crackdown on illegal immigrants goes on",
    "ARY News",
    "2023-11-14",
)
GEO = make_passage(
    2,
    "ایک نئے جائزے میں 84 فیصد افراد نے اس حکم کی تائید کی ہے۔ "
    "سروے میں حصہ لینے والوں میں سے 69 فیصد نے اس امید کا اظہار کیا۔",
    "سروے: 84 فیصد افراد کے خیال میں غیر قانونی طور پر رہنے والے افغانوں کو ملک سے جانے کا کہنا درست اقدام ہے",
    "Geo News (Urdu)",
    "2023-11-08",
)
NATION = make_passage(
    3,
    "According to the source, Pakistan has 1.304 million registered Afghan refugees.",
    "Cabinet extends stay of 1.3 million Afghan refugees",
    "The Nation (Pakistan)",
    "2023-11-09",
)
PASSAGES = [ARY, GEO, NATION]
BY_N = dict(enumerate(PASSAGES, start=1))


# ---------------------------------------------------------------- figures in Urdu, Persian and Arabic digits


def test_urdu_persian_and_arabic_digits_are_the_same_figures() -> None:
    assert [f.value for f in extract_figures("۲,۲۳,۶۳۷ اور ٣٣٢٩ اور 580")] == [223637, 3329, 580]
    assert [(f.kind, f.value) for f in extract_figures("۸۴ فیصد")] == [("percent", 84)]
    assert [(f.kind, f.value) for f in extract_figures("۸۴٪")] == [("percent", 84)]
    assert [f.value for f in extract_figures("۱٫۳۰۴ میلیون")] == [1304000]


@pytest.mark.parametrize(
    "answer",
    [
        "اے آر وائی نیوز کے مطابق اب تک ۲,۲۳,۶۳۷ غیر قانونی تارکین وطن واپس جا چکے ہیں [1]۔",  # Urdu digits
        "به گزارش ای آر وای نیوز، روز دوشنبه ۵۸۰ خانواده افغان برگشتند [1].",  # Dari, Persian digits
        "گیلپ پاکستان کے سروے میں ۸۴ فیصد افراد نے حکم کی تائید کی [2]۔",  # Urdu digits for the Urdu source's 84
        "د ګیلپ سروې له مخې ٨٤ سلنه خلکو ملاتړ وکړ [2].",  # Pashto, Arabic-Indic digits
        "په پاکستان کې ۱٫۳۰۴ میلیون ثبت شوي افغان کډوال دي [3].",  # Persian decimal separator and scale word
        "Pakistan has 1.304 million registered Afghan refugees [3], and ۸۴ فیصد backed the order [2].",
    ],
)
def test_figures_written_in_other_digits_match_the_source(answer: str) -> None:
    assert check_numbers(answer, BY_N) == ()


@pytest.mark.parametrize(
    "answer",
    [
        "اب تک ۲,۲۳,۶۳۸ افراد واپس جا چکے ہیں [1]۔",  # one more than the source
        "گیلپ کے سروے میں ۸۵ فیصد افراد نے حکم کی تائید کی [2]۔",
        "روز دوشنبه ۵۸۰ خانواده افغان برگشتند [2].",  # right figure, wrong passage
    ],
)
def test_a_wrong_figure_in_other_digits_is_caught(answer: str) -> None:
    assert len(check_numbers(answer, BY_N)) == 1


# ---------------------------------------------------------------- generated answers in the asker's language


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer(API_KEY) as fake:
        yield fake


def _answerer(server: FakeOpenAIServer) -> OpenAIAnswerer:
    settings = Settings(
        _env_file=None,
        openai_api_key=API_KEY,
        openai_base_url=server.base_url,
        llm_model="fake-model",
        llm_timeout_s=2.0,
        llm_max_retries=0,
        prompts_dir=PROJECT_ROOT / "prompts",
    )
    return OpenAIAnswerer(
        settings, PromptLibrary(settings.prompts_dir), clock=lambda: datetime(2025, 4, 20, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("اب تک کتنے غیر قانونی تارکین وطن واپس گئے؟", "in Urdu,"),
        ("تا کنون چند مهاجر غیرقانونی برگشته‌اند؟", "in Dari (Afghan Persian),"),
        ("تر اوسه څومره کډوال بېرته تللي دي؟", "in Pashto,"),
        ("Ab tak kitne log wapas gaye hain?", "in Roman Urdu"),
        ("How many have returned so far?", "in English,"),
    ],
)
async def test_the_prompt_asks_for_the_answer_in_the_question_language(
    server: FakeOpenAIServer, question: str, language: str
) -> None:
    server.script(Reply.answer("اب تک ۲,۲۳,۶۳۷ غیر قانونی تارکین وطن واپس جا چکے ہیں [1]۔"))
    answerer = _answerer(server)
    answer = await answerer.answer(question, PASSAGES)
    await answerer.aclose()
    assert not answer.refused and answer.citations[0].n == 1
    user_message = str(server.requests[0].messages[1]["content"])
    assert f"Write the answer, and the sentence after NO_ANSWER, {language}" in user_message


async def test_a_generated_urdu_answer_with_an_invented_figure_is_retried_then_rejected(
    server: FakeOpenAIServer,
) -> None:
    wrong = "اب تک ۲,۵۰,۰۰۰ افراد واپس جا چکے ہیں [1]۔"
    server.script(Reply.answer(wrong), Reply.answer(wrong))
    answerer = _answerer(server)
    with pytest.raises(AnswerBackendError, match="2,50,000"):
        await answerer.answer("اب تک کتنے افراد واپس گئے؟", PASSAGES)
    await answerer.aclose()
    assert len(server.requests) == 2


# ---------------------------------------------------------------- the service tags each answer with its language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("How many Afghans has Pakistan deported?", "en"),
        ("پاکستان نے کتنے افغان واپس بھیجے؟", "ur"),
        ("Pakistan ne kitne Afghan deport kiye?", "ur-Latn"),
        ("پاکستان څومره افغانان وشړل؟", "ps"),
        ("پاکستان چند افغان را اخراج کرد؟", "fa"),
    ],
)
async def test_the_service_sets_the_answer_language(service: AnswerService, question: str, language: str) -> None:
    answer = await service.ask(question)
    assert answer.language == language


def test_the_answer_prompt_renders_with_a_language() -> None:
    text = PromptLibrary(Path(PROJECT_ROOT / "prompts")).render("answer", passages="", question="q", language="Urdu")
    assert "in Urdu, the language of the question" in text
