"""The bot's own words in English, Urdu, Pashto and Dari: frames, headings, refusals, /start and /help.

Quotes stay in their source's language; everything the bot itself says comes from here. Templates use
named fields (``{date}``, ``{who}``) and are plain text: the caller escapes them for HTML.

Roman Urdu (``ur-Latn``) gets English: Urdu written in Latin letters has no settled spelling, so any
fixed Roman-Urdu wording would be one spelling among many, and people who type Roman Urdu read the
English interface of their phones every day; Urdu in Arabic script would answer in a script they
chose not to type in.
"""

from __future__ import annotations

from dataclasses import dataclass

RTL_LANGUAGES = frozenset({"ur", "ps", "fa"})


@dataclass(frozen=True, kw_only=True)
class Phrases:
    """Everything the bot says in one language."""

    code: str
    rtl: bool
    months: tuple[str, ...]  # Jan..Dec as shown in dates
    quote_open: str
    quote_close: str
    list_separator: str  # between outlets, "Dawn, PTI"
    as_of: str  # {date}
    reported: str  # {date}: the article's date, when the figure's own date differs
    per: str  # {who}
    frame_joiner: str  # between "as of ..." and "per ..."
    retold: str  # {outlet}
    retold_label: str  # in the sources block
    retold_header: str  # {outlet}: above a retold passage shown by a button
    opinion: str
    date_unknown: str
    refusal: str
    closest: str
    heading_support: str
    heading_earlier: str
    heading_related: str
    heading_disagrees: str
    heading_replaced: str
    sources_heading: str
    also_ran: str  # {outlets}
    freshness: str  # {date} {days}
    date_range: str  # {first} {last}
    sources_list_heading: str  # {count}
    sources_page: str  # {page} {pages}
    no_sources: str
    newer: str
    older: str
    greeting: str
    welcome: str  # {documents} {span}
    welcome_span: str  # {range}
    welcome_citations: str
    help_ask_heading: str
    help_ask: str
    help_follow_up: str  # {turns}
    help_citations_heading: str
    help_citations: str
    help_where_heading: str
    help_where: str  # {freshness_days}


ENGLISH = Phrases(
    code="en",
    rtl=False,
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    quote_open="“",
    quote_close="”",
    list_separator=", ",
    as_of="As of {date}",
    reported="reported {date}",
    per="per {who}",
    frame_joiner=", ",
    retold="(retold from {outlet})",
    retold_label="retold",
    retold_header="Retold from {outlet}, not the outlet's own words:",
    opinion="opinion",
    date_unknown="date unknown",
    refusal="The indexed sources don't say that.",
    closest="The closest they come:",
    heading_support="Also in the sources:",
    heading_earlier="Earlier figures:",
    heading_related="Related figures (they count something else):",
    heading_disagrees="Sources that differ:",
    heading_replaced="Replaced (no longer in force):",
    sources_heading="Sources",
    also_ran="also run by {outlets}",
    freshness="Newest source: {date}, {days} days ago; later figures may exist.",
    date_range="{first} to {last}",
    sources_list_heading="Indexed articles ({count}, newest first)",
    sources_page="page {page}/{pages}",
    no_sources="No articles are indexed yet.",
    newer="‹ Newer",
    older="Older ›",
    greeting="Hello!",
    welcome=(
        "I answer questions about Pakistan's repatriation of Afghan migrants, using only {documents} "
        "indexed news articles{span}."
    ),
    welcome_span=" dated {range}",
    welcome_citations=(
        "Every claim carries a citation like [1]; tap a source button under an answer to read the exact "
        "passage. Ask in your own words, or try one of these:"
    ),
    help_ask_heading="How to ask",
    help_ask=(
        "Send a question as a normal message in this chat. In a group, mention me, reply to one of my "
        "messages, or use /ask followed by your question."
    ),
    help_follow_up=(
        "I remember the last {turns} questions of this chat, so you can ask follow-ups like "
        "“and what about ACC holders?”. /reset makes me forget them."
    ),
    help_citations_heading="Citations",
    help_citations=(
        "Numbers like [1] point to the sources listed under each answer (outlet, date, link). The buttons "
        "under an answer show the passages each number rests on. Text marked “retold” is a source's report "
        "in other words, not the outlet's own."
    ),
    help_where_heading="Where answers come from",
    help_where=(
        "Only from the articles listed by /sources. If they don't cover your question, I say so instead of "
        "guessing. Each figure says as of when and per whom; when the newest article is over "
        "{freshness_days} days old, I say that later figures may exist."
    ),
)

URDU = Phrases(
    code="ur",
    rtl=True,
    months=(
        "جنوری",
        "فروری",
        "مارچ",
        "اپریل",
        "مئی",
        "جون",
        "جولائی",
        "اگست",
        "ستمبر",
        "اکتوبر",
        "نومبر",
        "دسمبر",
    ),
    quote_open="“",
    quote_close="”",
    list_separator="، ",
    as_of="{date} تک",
    reported="خبر کی تاریخ {date}",
    per="{who} کے مطابق",
    frame_joiner="، ",
    retold="({outlet} کی خبر کا خلاصہ، اصل الفاظ نہیں)",
    retold_label="خلاصہ",
    retold_header="{outlet} کی خبر کا خلاصہ، ادارے کے اپنے الفاظ نہیں:",
    opinion="رائے",
    date_unknown="تاریخ نامعلوم",
    refusal="فہرست میں شامل ذرائع اس بارے میں کچھ نہیں بتاتے۔",
    closest="ذرائع میں اس سے قریب ترین بات:",
    heading_support="ذرائع میں مزید:",
    heading_earlier="پہلے کے اعداد و شمار:",
    heading_related="متعلقہ اعداد و شمار (یہ کسی اور چیز کی گنتی ہیں):",
    heading_disagrees="مختلف بات بتانے والے ذرائع:",
    heading_replaced="منسوخ شدہ (اب نافذ نہیں):",
    sources_heading="ذرائع",
    also_ran="یہی خبر: {outlets}",
    freshness="تازہ ترین ذریعہ: {date}، {days} دن پہلے؛ بعد کے اعداد و شمار موجود ہو سکتے ہیں۔",
    date_range="{first} سے {last} تک",
    sources_list_heading="فہرست شدہ خبریں ({count}، تازہ ترین پہلے)",
    sources_page="صفحہ {page}/{pages}",
    no_sources="ابھی کوئی خبر فہرست میں شامل نہیں۔",
    newer="‹ نئی",
    older="پرانی ›",
    greeting="السلام علیکم!",
    welcome=(
        "میں پاکستان سے افغان مہاجرین کی واپسی کے بارے میں سوالوں کے جواب دیتا ہوں، صرف {documents} "
        "فہرست شدہ خبروں سے{span}۔"
    ),
    welcome_span=" ({range})",
    welcome_citations=(
        "ہر بات کے ساتھ [1] جیسا حوالہ ہوتا ہے؛ جواب کے نیچے ذریعے کا بٹن دبا کر اصل عبارت پڑھیں۔ "
        "اپنے الفاظ میں پوچھیں، یا ان میں سے کوئی سوال آزمائیں:"
    ),
    help_ask_heading="سوال کیسے پوچھیں",
    help_ask=(
        "اس چیٹ میں اپنا سوال عام پیغام کی طرح بھیجیں۔ گروپ میں مجھے مینشن کریں، میرے کسی پیغام کا جواب دیں، "
        "یا /ask کے بعد اپنا سوال لکھیں۔"
    ),
    help_follow_up=(
        "مجھے اس چیٹ کے آخری {turns} سوال یاد رہتے ہیں، اس لیے آپ اگلا سوال پچھلے سے جوڑ کر پوچھ سکتے ہیں۔ "
        "/reset سے میں انہیں بھول جاتا ہوں۔"
    ),
    help_citations_heading="حوالے",
    help_citations=(
        "[1] جیسے نمبر ہر جواب کے نیچے درج ذرائع (ادارہ، تاریخ، لنک) کی طرف اشارہ کرتے ہیں۔ جواب کے نیچے "
        "بٹن وہ عبارت دکھاتے ہیں جس پر ہر نمبر قائم ہے۔ “خلاصہ” والی عبارت ذریعے کی خبر اور الفاظ میں ہے، "
        "ادارے کے اپنے الفاظ نہیں۔"
    ),
    help_where_heading="جواب کہاں سے آتے ہیں",
    help_where=(
        "صرف /sources میں درج خبروں سے۔ اگر وہ آپ کے سوال کا جواب نہیں دیتیں تو میں اندازہ لگانے کے بجائے یہی "
        "بتاتا ہوں۔ ہر عدد کے ساتھ لکھا ہوتا ہے کہ کب تک کا ہے اور کس کے مطابق؛ جب تازہ ترین خبر {freshness_days} "
        "دن سے پرانی ہو تو میں بتاتا ہوں کہ بعد کے اعداد و شمار موجود ہو سکتے ہیں۔"
    ),
)

PASHTO = Phrases(
    code="ps",
    rtl=True,
    months=(
        "جنوري",
        "فبروري",
        "مارچ",
        "اپرېل",
        "مۍ",
        "جون",
        "جولای",
        "اګست",
        "سپټمبر",
        "اکتوبر",
        "نومبر",
        "ډسمبر",
    ),
    quote_open="«",
    quote_close="»",
    list_separator="، ",
    as_of="تر {date} پورې",
    reported="د خبر نېټه {date}",
    per="د {who} له مخې",
    frame_joiner="، ",
    retold="(د {outlet} د خبر لنډیز، اصلي الفاظ نه دي)",
    retold_label="لنډیز",
    retold_header="د {outlet} د خبر لنډیز، د ادارې خپل الفاظ نه دي:",
    opinion="نظر",
    date_unknown="نېټه نامعلومه",
    refusal="په لړ کې شاملې سرچینې په دې اړه څه نه وايي.",
    closest="په سرچینو کې تر ټولو نږدې خبره:",
    heading_support="په سرچینو کې نور:",
    heading_earlier="پخواني ارقام:",
    heading_related="اړوند ارقام (دا د بل څه شمېر دی):",
    heading_disagrees="هغه سرچینې چې بل ډول وايي:",
    heading_replaced="بدل شوی (نور نافذ نه دی):",
    sources_heading="سرچینې",
    also_ran="همدا خبر: {outlets}",
    freshness="تر ټولو نوې سرچینه: {date}، {days} ورځې مخکې؛ ښايي وروسته ارقام هم شتون ولري.",
    date_range="له {first} څخه تر {last} پورې",
    sources_list_heading="په لړ کې شامل خبرونه ({count}، نوي لومړی)",
    sources_page="پاڼه {page}/{pages}",
    no_sources="تر اوسه هېڅ خبر په لړ کې نه دی شامل.",
    newer="‹ نوي",
    older="زاړه ›",
    greeting="السلام علیکم!",
    welcome=(
        "زه له پاکستان څخه د افغان کډوالو د بېرته ستنولو په اړه پوښتنو ته ځواب ورکوم، یوازې له {documents} "
        "شاملو خبرونو{span}."
    ),
    welcome_span=" ({range})",
    welcome_citations=(
        "هره خبره د [1] په څېر حواله لري؛ د ځواب لاندې د سرچینې تڼۍ کېکاږئ او اصلي متن ولولئ. "
        "په خپلو الفاظو پوښتنه وکړئ، یا له دې پوښتنو یوه وازمویئ:"
    ),
    help_ask_heading="څنګه پوښتنه وکړئ",
    help_ask=(
        "په دې چټ کې خپله پوښتنه د عادي پیغام په توګه ولېږئ. په ګروپ کې ما یاد کړئ، زما پیغام ته ځواب "
        "ورکړئ، یا /ask وروسته خپله پوښتنه ولیکئ."
    ),
    help_follow_up=(
        "د دې چټ وروستۍ {turns} پوښتنې مې په یاد وي، نو تاسو کولای شئ تعقیبي پوښتنې وکړئ. /reset یې زما له یاده باسي."
    ),
    help_citations_heading="حوالې",
    help_citations=(
        "د [1] په څېر شمېرې هرې سرچینې ته اشاره کوي چې د ځواب لاندې لیکل شوې ده (اداره، نېټه، لینک). "
        "د ځواب لاندې تڼۍ هغه متن ښيي چې هره شمېره پرې ولاړه ده. «لنډیز» متن د سرچینې خبر په نورو الفاظو "
        "کې دی، د ادارې خپل الفاظ نه دي."
    ),
    help_where_heading="ځوابونه له کومه راځي",
    help_where=(
        "یوازې له هغو خبرونو چې /sources یې ښيي. که هغوی ستاسو پوښتنې ته ځواب ونه لري، زه اټکل نه کوم "
        "او همدا وایم. هره شمېره ښيي چې تر کومې نېټې او د چا له مخې ده؛ کله چې تر ټولو نوی خبر له "
        "{freshness_days} ورځو زوړ وي، وایم چې ښايي وروسته ارقام هم وي."
    ),
)

DARI = Phrases(
    code="fa",
    rtl=True,
    months=(
        "جنوری",
        "فبروری",
        "مارچ",
        "اپریل",
        "می",
        "جون",
        "جولای",
        "اگست",
        "سپتمبر",
        "اکتوبر",
        "نومبر",
        "دسمبر",
    ),
    quote_open="«",
    quote_close="»",
    list_separator="، ",
    as_of="تا {date}",
    reported="تاریخ گزارش {date}",
    per="به گفتهٔ {who}",
    frame_joiner="، ",
    retold="(بازگویی از گزارش {outlet}، نه عین کلمات آن)",
    retold_label="بازگویی",
    retold_header="بازگویی از گزارش {outlet}، نه عین کلمات آن رسانه:",
    opinion="دیدگاه",
    date_unknown="تاریخ نامعلوم",
    refusal="منابع فهرست‌شده در این باره چیزی نمی‌گویند.",
    closest="نزدیک‌ترین مطلب در منابع:",
    heading_support="همچنین در منابع:",
    heading_earlier="ارقام پیشین:",
    heading_related="ارقام مرتبط (این‌ها چیز دیگری را می‌شمارند):",
    heading_disagrees="منابعی که چیز دیگری می‌گویند:",
    heading_replaced="جایگزین‌شده (دیگر نافذ نیست):",
    sources_heading="منابع",
    also_ran="همین خبر: {outlets}",
    freshness="تازه‌ترین منبع: {date}، {days} روز پیش؛ شاید ارقام تازه‌تری وجود داشته باشد.",
    date_range="از {first} تا {last}",
    sources_list_heading="مقاله‌های فهرست‌شده ({count}، تازه‌ترین نخست)",
    sources_page="صفحهٔ {page}/{pages}",
    no_sources="هنوز هیچ مقاله‌ای فهرست نشده است.",
    newer="‹ تازه‌تر",
    older="کهنه‌تر ›",
    greeting="سلام!",
    welcome=(
        "من به پرسش‌ها دربارهٔ بازگرداندن مهاجران افغان از پاکستان پاسخ می‌دهم، تنها از روی {documents} "
        "مقالهٔ خبری فهرست‌شده{span}."
    ),
    welcome_span=" ({range})",
    welcome_citations=(
        "هر ادعا ارجاعی مانند [1] دارد؛ دکمهٔ منبع زیر پاسخ را بزنید تا متن اصلی را بخوانید. "
        "به زبان خودتان بپرسید، یا یکی از این پرسش‌ها را امتحان کنید:"
    ),
    help_ask_heading="چگونه بپرسید",
    help_ask=(
        "پرسش خود را مانند یک پیام عادی در همین گفتگو بفرستید. در گروه، از من نام ببرید، به یکی از پیام‌هایم "
        "پاسخ دهید، یا پس از /ask پرسش خود را بنویسید."
    ),
    help_follow_up=(
        "{turns} پرسش آخر این گفتگو را به یاد دارم، پس می‌توانید پرسش‌های پیگیری بپرسید. با /reset آن‌ها را فراموش می‌کنم."
    ),
    help_citations_heading="ارجاع‌ها",
    help_citations=(
        "شماره‌هایی مانند [1] به منابع فهرست‌شده زیر هر پاسخ (رسانه، تاریخ، پیوند) اشاره می‌کنند. دکمه‌های زیر "
        "پاسخ متنی را نشان می‌دهند که هر شماره بر آن استوار است. متنی که «بازگویی» خوانده شده، گزارش منبع "
        "به کلمات دیگر است، نه عین کلمات آن رسانه."
    ),
    help_where_heading="پاسخ‌ها از کجا می‌آیند",
    help_where=(
        "تنها از مقاله‌هایی که /sources فهرست می‌کند. اگر آن‌ها به پرسش شما نپردازند، به جای حدس زدن همین را "
        "می‌گویم. هر رقم نشان می‌دهد تا چه تاریخی و به گفتهٔ چه کسی است؛ وقتی تازه‌ترین مقاله بیش از "
        "{freshness_days} روز کهنه باشد، می‌گویم که شاید ارقام تازه‌تری وجود داشته باشد."
    ),
)

_BY_CODE = {"en": ENGLISH, "ur": URDU, "ps": PASHTO, "fa": DARI, "prs": DARI}


def phrases_for(language: str | None) -> Phrases:
    """The phrase book for an answer's language: Urdu, Pashto or Dari when asked in them, else English.

    ``ur-Latn`` (Roman Urdu) gets English; see the module docstring for why.
    """
    code = (language or "en").strip()
    if code.lower().endswith("-latn"):
        return ENGLISH
    return _BY_CODE.get(code.split("-")[0].lower(), ENGLISH)


def language_from_telegram(language_code: str | None) -> str:
    """The reply language for commands without a question (/start, /help): the user's Telegram
    language when it is Urdu, Pashto or Dari (Persian), else English."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in RTL_LANGUAGES else "en"
