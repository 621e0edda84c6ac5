"""The one settings object, read from the environment (and ``.env``) once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"

IdList = Annotated[tuple[int, ...], NoDecode]
NameList = Annotated[tuple[str, ...], NoDecode]


class Settings(BaseSettings):
    """Every knob of policybot; environment variables are ``POLICYBOT_<NAME>`` unless noted."""

    model_config = SettingsConfigDict(
        env_prefix="POLICYBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    # corpus and index
    data_dir: Path = Path("data")
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    wordnet_dir: Path | None = None  # WordNet 3.0's database files; None: the virtualenv's, else the system's
    embedding_model: str = DEFAULT_EMBEDDING_MODEL  # or "all-MiniLM-L6-v2" / "multilingual-e5-small"
    embedding_threads: int = Field(default=2, ge=1, le=64)  # the e5 engine's OpenMP threads per call
    index_type: Literal["flat", "hnsw"] = "flat"
    chunk_max_tokens: int = Field(default=200, ge=32, le=256)
    chunk_overlap_sentences: int = Field(default=1, ge=0, le=3)
    max_document_bytes: int = 10 * 1024 * 1024
    fetch_timeout_s: float = 15.0
    allow_private_urls: bool = False
    trusted_hosts: NameList = ()  # host names fetched although private (an operator's own feed server)

    # news feeds (index/feeds.py)
    feed_interval_min: int = Field(default=60, ge=1, le=7 * 24 * 60)
    feed_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    feed_max_items_per_poll: int = Field(default=50, ge=1, le=1000)
    feed_max_backoff_min: int = Field(default=24 * 60, ge=1)
    feed_concurrency: int = Field(default=4, ge=1, le=32)

    # retrieval and answering
    top_k: int = Field(default=6, ge=1, le=50)
    min_dense_score: float = 0.1
    max_question_chars: int = 2000
    history_turns: int = Field(default=3, ge=0, le=20)
    answer_memo_mb: int = Field(default=16, ge=0, le=4096)  # the answerer's memo of stems and figures
    # a reply about changing figures says so when the newest indexed source is older than this
    freshness_days: int = Field(default=30, ge=0)

    # telegram
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "POLICYBOT_TELEGRAM_BOT_TOKEN")
    )
    telegram_api_base_url: str = Field(
        default=DEFAULT_TELEGRAM_API_BASE_URL,
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "POLICYBOT_TELEGRAM_API_BASE_URL"),
    )
    admin_ids: IdList = ()
    allowed_chat_ids: IdList = ()
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    concurrent_updates: int = Field(default=16, ge=1, le=256)
    questions_per_minute: int = Field(default=10, ge=1)

    # OpenAI-compatible generation (all three unset: offline extractive answers)
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "POLICYBOT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "POLICYBOT_OPENAI_BASE_URL")
    )
    llm_model: str | None = None
    llm_timeout_s: float = 30.0
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_max_tokens: int = 600
    llm_context_tokens: int = 8192

    @field_validator("admin_ids", "allowed_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept ``"1, 2,3"`` from the environment as well as a sequence."""
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("trusted_hosts", mode="before")
    @classmethod
    def _split_names(cls, value: object) -> object:
        """Accept ``"a.example, 10.0.0.5"`` from the environment; names are compared case-folded."""
        if isinstance(value, str):
            value = value.replace(";", ",").split(",")
        if isinstance(value, list | tuple):
            return tuple(str(part).strip().casefold() for part in value if str(part).strip())
        return value

    @property
    def index_dir(self) -> Path:
        """Where the FAISS index, SQLite metadata and manifest live."""
        return self.data_dir / "index"

    @property
    def feeds_file(self) -> Path:
        """The feed registry (feeds, items seen, problems)."""
        return self.data_dir / "feeds.sqlite"

    @property
    def llm_enabled(self) -> bool:
        """True when generated answers are configured."""
        return bool(self.openai_api_key and self.llm_model)
