"""Write a deterministic benchmark corpus: a complete Warraq project with N Arabic articles.

    python bench/make_corpus.py --articles 5000 --out /tmp/corpus [--seed 1]

The project gets a copy of this repository's site.toml and themes/, an empty seeds/, N Arabic
articles in content/ar/<yyyy>/<slug>.md and English translations of 30% of them in
content/en/<yyyy>/<slug>.md (same slug, same translation_key). Every article has front matter
in the schema README.md documents and a body of about 1,000 words: 2-4 `##` headings, a
bulleted or numbered list, a few inline links and paragraphs.

Only random.Random(seed) decides anything: the same arguments always write the same bytes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shutil
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TRANSLATED_SHARE = 0.30
BODY_WORDS = 1000
FIRST_DAY = datetime.date(2005, 1, 1)
LAST_DAY = datetime.date(2024, 12, 31)

AUTHORS_AR = ("المرصد الاستراتيجي", "وحدة الدراسات", "سعاد الخطيب", "محمد العلي", "ليلى حداد", "عمر الحسيني")
AUTHORS_EN = ("Strategic Observatory", "Research Unit", "Suad al-Khatib", "Muhammad al-Ali", "Layla Haddad",
              "Omar al-Husseini")

# Common words of Arabic news and analysis prose, written for this script.
ARABIC_WORDS = """
في من إلى على عن مع بين بعد قبل خلال حول ضد دون عند منذ حتى لدى نحو عبر أمام وراء تحت فوق
هذا هذه ذلك تلك هؤلاء الذي التي الذين كل بعض أي غير مثل أكثر أقل أول آخر كما لكن بل ثم أو أن إن
قد لقد لم لن لا ما كان كانت يكون تكون أصبح أصبحت ظل بات ليس ليست هناك هنا حيث إذ إذا لو كي
الحكومة الدولة الوزارة الرئيس الوزير البرلمان المجلس اللجنة الحزب المعارضة الأحزاب القوى الجيش القوات
الشرطة الأمن المجتمع الشعب المواطنين السكان اللاجئين النازحين المدنيين الشباب النساء الأطفال العمال
المنطقة المدينة العاصمة الحدود الريف القرية الإقليم المحافظة البلاد الدول العالم الجوار الساحل الصحراء
الاقتصاد السوق الأسعار النفط الغاز الطاقة الموازنة الديون الاستثمار التجارة الصادرات الواردات البطالة
التضخم العملة المصارف الضرائب الزراعة الصناعة السياحة الموانئ الطرق الكهرباء المياه الصحة التعليم
السياسة الانتخابات الدستور القانون القضاء المحكمة الحقوق الحريات الإعلام الصحافة الرأي الخطاب البيان
المفاوضات الاتفاق الهدنة الحوار التسوية الأزمة الصراع الحرب السلام الاستقرار التوتر التصعيد المواجهة
العملية الحملة الهجوم الانسحاب التقدم السيطرة النفوذ الدعم المساعدات التعاون التحالف الشراكة العلاقات
المرحلة الفترة السنوات العقد الأشهر الأسابيع الأيام الماضي المقبل الحالي الجديد القديم الأخير السابق
تقرير دراسة تحليل رؤية قراءة ملف مؤشر بيانات أرقام نتائج توصيات مصادر وثيقة شهادة رواية
يرى يعتقد يؤكد يشير يوضح يضيف يقول يطالب يدعو يحذر يتوقع يسعى يحاول يعمل يواجه يملك يحتاج
تسعى تواجه تحاول تشهد تعاني تمتلك تعتمد تستطيع تتطلب تتضمن تتجه تتراجع ترتفع تنخفض تستمر تتوسع
أعلن أكد أشار أوضح أضاف قال طالب دعا حذر توقع شهد عانى شكل مثل أدى أسهم ساعد منع سمح
أعلنت أكدت أشارت أوضحت قالت شهدت عرفت حققت فقدت خسرت ربحت وقعت رفضت قبلت اتخذت أطلقت
كبير كبيرة صغير صغيرة واسع واسعة محدود محدودة جديد جديدة قديم قديمة مهم مهمة رئيسي رئيسية
سياسي سياسية اقتصادي اقتصادية اجتماعي اجتماعية أمني أمنية عسكري عسكرية دولي دولية إقليمي إقليمية
محلي محلية عربي عربية رسمي رسمية شعبي شعبية حقيقي حقيقية واضح واضحة مباشر مباشرة مستمر مستمرة
الموقف القرار الخطة البرنامج المشروع المبادرة السياسات الإجراءات الخطوات الجهود المساعي الأهداف
المصالح التحديات المخاطر الفرص الخيارات البدائل الأسباب العوامل النتائج الآثار التداعيات الظروف
الواقع المستقبل التاريخ الذاكرة الهوية الثقافة اللغة التراث الدين القيم المبادئ الثقة المسؤولية
بشكل بصورة بدرجة بسبب نتيجة وفق حسب نظرا إضافة فضلا خصوصا تحديدا أيضا كذلك جدا فقط دائما غالبا
أحيانا سريعا تدريجيا مجددا لاحقا حاليا مؤخرا تقريبا نسبيا عموما
الباحثين الخبراء المراقبين المحللين المسؤولين الدبلوماسيين الناشطين الصحفيين الممثلين المشاركين
الأغلبية الأقلية الطرفين الجانبين الأطراف الفصائل الجماعات المؤسسات المنظمات الهيئات النقابات الجمعيات
الميدان الساحة الشارع المشهد الملف الطاولة الداخل الخارج الشمال الجنوب الشرق الغرب الوسط
النهر البحر الجبل السهل الوادي المعبر الطريق المطار الميناء السد الحقل المصنع المستشفى المدرسة الجامعة
""".split()

ARABIC_HEADINGS = (
    "الخلفية", "السياق الإقليمي", "المواقف الدولية", "الأبعاد الاقتصادية", "التداعيات المحتملة", "السيناريوهات",
    "قراءة في الأرقام", "الموقف الميداني", "ردود الفعل", "خلاصة", "التوصيات", "الجذور التاريخية",
    "المشهد السياسي", "الوضع الإنساني", "آفاق المرحلة المقبلة",
)

# Common words of English news and analysis prose, written for this script.
ENGLISH_WORDS = """
the of and to in a for on with by from at as that this which while after before during over
between against without within across toward under about into through among since until
is was are were has have had will would could should may might can must does did be been being
government state ministry president minister parliament council committee party opposition forces
army police security society people citizens residents refugees civilians youth women children workers
region city capital border countryside village province country countries world neighbours coast desert
economy market prices oil gas energy budget debt investment trade exports imports unemployment inflation
currency banks taxes agriculture industry tourism ports roads electricity water health education
politics elections constitution law courts rights freedoms media press opinion speech statement
negotiations agreement truce dialogue settlement crisis conflict war peace stability tension escalation
operation campaign attack withdrawal advance control influence support aid cooperation alliance partnership
phase period years decade months weeks days past coming current new old recent previous
report study analysis vision reading file indicator data figures results recommendations sources document
sees believes confirms notes explains adds says demands calls warns expects seeks tries works faces
needs announced confirmed pointed stressed added said warned expected witnessed suffered formed led
contributed helped prevented allowed signed rejected accepted took launched achieved lost gained
large small wide limited new old important main political economic social military international
regional local Arab official popular real clear direct continuing growing declining sudden gradual
position decision plan programme project initiative policies measures steps efforts goals interests
challenges risks opportunities options alternatives causes factors outcomes effects consequences conditions
reality future history memory identity culture language heritage religion values principles trust responsibility
largely partly mainly especially notably also likewise very only always often sometimes quickly gradually
again later currently recently nearly relatively generally
researchers experts observers analysts officials diplomats activists journalists representatives participants
majority minority sides parties factions groups institutions organisations bodies unions associations
field arena street scene table inside outside north south east west centre
river sea mountain plain valley crossing road airport port dam well factory hospital school university
""".split()

ENGLISH_HEADINGS = (
    "Background", "The regional context", "International positions", "The economic dimension",
    "Possible consequences", "Scenarios", "Reading the figures", "The situation on the ground", "Reactions",
    "Conclusion", "Recommendations", "Historical roots", "The political scene", "The humanitarian situation",
    "The coming phase",
)

# ASCII words for slugs (the URL name), one per article plus a number keeps them unique.
SLUG_WORDS = """
border truce dialogue crisis reform market energy water trade budget election council summit
coast valley river port harbour desert frontier capital province refugees security economy
analysis outlook review report briefing survey forecast memo study overview scenario
""".split()


def tag_names(config_path: Path) -> list[tuple[str, str]]:
    """(Arabic name, English name) of every tag in the vocabulary of site.toml."""
    with config_path.open("rb") as file:
        config = tomllib.load(file)
    return [(tag.get("ar", tag["slug"]), tag.get("en", tag["slug"])) for tag in config.get("tags", [])]


def sentence(rng: random.Random, words: list[str], arabic: bool) -> str:
    """One sentence of 8-20 words, with a comma now and then, ending in a full stop."""
    picked = rng.choices(words, k=rng.randint(8, 20))
    if len(picked) > 11 and rng.random() < 0.5:
        cut = rng.randint(4, len(picked) - 4)
        picked[cut] += "،" if arabic else ","
    text = " ".join(picked)
    if not arabic:
        text = text[0].upper() + text[1:]
    return text + "."


def phrase(rng: random.Random, words: list[str], low: int, high: int) -> str:
    return " ".join(rng.choices(words, k=rng.randint(low, high)))


def link(rng: random.Random, words: list[str], lang: str) -> str:
    page = rng.choice(SLUG_WORDS)
    return f"[{phrase(rng, words, 2, 4)}](https://example.org/{lang}/{page}/{rng.randint(1, 9999)})"


def paragraph(rng: random.Random, words: list[str], arabic: bool, lang: str, with_link: bool) -> str:
    sentences = [sentence(rng, words, arabic) for _ in range(rng.randint(3, 6))]
    if with_link:
        spot = rng.randrange(len(sentences))
        lead = "انظر" if arabic else "See"
        sentences.insert(spot + 1, f"{lead} {link(rng, words, lang)}.")
    return " ".join(sentences)


def body(rng: random.Random, lang: str) -> str:
    """About BODY_WORDS words of Markdown: headings, one list, a few links, paragraphs."""
    arabic = lang == "ar"
    words = ARABIC_WORDS if arabic else ENGLISH_WORDS
    headings = rng.sample(ARABIC_HEADINGS if arabic else ENGLISH_HEADINGS, rng.randint(2, 4))
    links_left = rng.randint(2, 4)
    list_after = rng.randrange(len(headings))
    blocks = [paragraph(rng, words, arabic, lang, False)]
    count = blocks[0].count(" ") + 1
    paragraphs_per_section = max(2, 14 // len(headings))
    for index, heading in enumerate(headings):
        blocks.append(f"## {heading}")
        for _ in range(paragraphs_per_section):
            with_link = links_left > 0 and rng.random() < 0.4
            links_left -= with_link
            text = paragraph(rng, words, arabic, lang, with_link)
            count += text.count(" ") + 1
            blocks.append(text)
        if index == list_after:
            numbered = rng.random() < 0.5
            items = [phrase(rng, words, 3, 9) for _ in range(rng.randint(3, 6))]
            blocks.append("\n".join(f"{n}. {item}" if numbered else f"- {item}" for n, item in enumerate(items, 1)))
            count += sum(item.count(" ") + 1 for item in items)
    while links_left > 0 or count < BODY_WORDS:
        text = paragraph(rng, words, arabic, lang, links_left > 0)
        links_left -= 1
        count += text.count(" ") + 1
        blocks.append(text)
    return "\n\n".join(blocks) + "\n"


def quoted(text: str) -> str:
    """A YAML scalar for any text: JSON strings are valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def article_text(meta: dict, text: str) -> str:
    lines = ["---"]
    for key in ("title", "slug", "lang", "date", "author", "views"):
        value = meta[key]
        lines.append(f"{key}: {quoted(value) if key in ('title', 'author') else value}")
    lines.append("tags:")
    lines.extend(f"- {quoted(tag)}" for tag in meta["tags"])
    lines.append(f"summary: {quoted(meta['summary'])}")
    lines.append(f"translation_key: {meta['translation_key']}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + text


def make_corpus(articles: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write the project into out (its content/ and themes/ are replaced); return file counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("content", "themes"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    shutil.copy(REPO / "site.toml", out / "site.toml")
    shutil.copytree(REPO / "themes", out / "themes", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (out / "seeds").mkdir(exist_ok=True)
    tags = tag_names(REPO / "site.toml")
    span = (LAST_DAY - FIRST_DAY).days
    translated = sorted(rng.sample(range(articles), round(articles * TRANSLATED_SHARE)))
    translated_set = frozenset(translated)
    counts = {"ar": 0, "en": 0}
    made_dirs: set[Path] = set()
    for number in range(articles):
        day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span))
        slug = f"{rng.choice(SLUG_WORDS)}-{rng.choice(SLUG_WORDS)}-{number + 1:05d}"
        chosen = rng.sample(tags, rng.randint(1, min(4, len(tags))))
        views = rng.randint(50, 50000)
        author = rng.randrange(len(AUTHORS_AR))
        langs = ("ar", "en") if number in translated_set else ("ar",)
        for lang in langs:
            arabic = lang == "ar"
            words = ARABIC_WORDS if arabic else ENGLISH_WORDS
            title = phrase(rng, words, 4, 9)
            if not arabic:
                title = title[0].upper() + title[1:]
            meta = {
                "title": title, "slug": slug, "lang": lang, "date": day.isoformat(),
                "author": (AUTHORS_AR if arabic else AUTHORS_EN)[author], "views": views,
                "tags": [names[0 if arabic else 1] for names in chosen],
                "summary": sentence(rng, words, arabic), "translation_key": slug,
            }
            folder = out / "content" / lang / f"{day.year:04d}"
            if folder not in made_dirs:
                folder.mkdir(parents=True, exist_ok=True)
                made_dirs.add(folder)
            (folder / f"{slug}.md").write_text(article_text(meta, body(rng, lang)), encoding="utf-8")
            counts[lang] += 1
    (out / "content" / "en").mkdir(parents=True, exist_ok=True)
    return counts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic Warraq benchmark corpus.")
    parser.add_argument("--articles", type=int, required=True, help="number of Arabic articles")
    parser.add_argument("--out", type=Path, required=True, help="the project folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    counts = make_corpus(args.articles, args.out, args.seed)
    print(f"{args.out}: {counts['ar']} Arabic and {counts['en']} English articles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
