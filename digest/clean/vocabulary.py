"""Page vocabulary: the words and line shapes of web-page furniture, in a few languages.

Generic page furniture ("4 MIN READ", share prompts, cookie notices, photo credits, comment
widgets, "More stories" labels), not strings from any one site. ``digest.clean.lines`` turns
these into per-line signals.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"\w+(?:['\u2019.-]\w+)*", re.UNICODE)
# Scripts written without spaces between words: count characters instead of tokens.
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Sentence ends in the scripts of the world's largest languages: Latin, CJK full stops and marks,
# the Arabic question mark and full stop, the Devanagari danda, the Armenian and Ethiopic stops.
_STOPS = ".!?\u2026\u3002\uff01\uff1f\uff0e\u061f\u06d4\u0964\u0965\u0589\u1362"
SENTENCE_END_RE = re.compile("[" + _STOPS + ":;][\"'\u201d\u2019\u00bb)\\]]*$")
INNER_SENTENCE_RE = re.compile(
    "[" + _STOPS.replace("\u2026", "") + "][\"'\u201d\u2019\u00bb)]*\\s+\\S"
)

# Function words of the languages we see most; density separates prose from labels and lists.
STOP_WORDS = frozenset(
    """a an the of to in on at for from by with and or but as is are was were be been has have
    had it its he she they we you i his her their our that this these those which who what when
    not no will would can could should may might than then there also after before over into
    about said says de la le les des du et un une est que qui pour dans sur pas il elle en el
    los las del y por con para una es se lo al da do das dos em um uma os ao na no e o der die
    das und ist nicht mit von zu den ein eine sich auf dem im di il che per non sono gli della
    alla и в не на что с по как это он она из за к то но а у от так для""".split()  # noqa: SIM905
)

FURNITURE_RES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\d+\s*(?:min(?:ute)?s?|m)\.?\s+read\b",  # "4 MIN READ"
        r"^(?:estimated\s+)?reading time\b",
        r"^(?:loading|please wait|advertisement|advertising|sponsored(?: content)?|ad)\W*$",
        r"^(?:skip to|jump to|go to)\b",
        r"^(?:share|tweet|email|print|pin|save|copy link|copied)\b.{0,40}$",
        r"^share (?:this|on|via|the)\b",
        r"\b(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|inbox|updates|alerts|email)",
        r"\bnewsletter\b.{0,60}\b(?:sign up|subscribe|inbox|delivered)",
        r"\bunsubscribe\b|\bno spam\b",
        r"\bsubscri\w*\b.{0,80}\b(?:newsletter|e-?mail|inbox|activat\w*|thank you|alerts)\b",
        r"\b(?:e-?mail|inbox|activation link)\b.{0,80}\bsubscri\w*",
        r"^(?:email|e-mail|contact|write to)\b.{0,80}@",
        r"^join our\b.{0,60}\b(?:forums?|community|newsletter|mailing list)",
        (
            r"^(?:subscribe|sign in|sign up|log ?in|log ?out|register|my account|menu|search|close|"
            r"home|back to top|top)\W*$"
        ),
        (
            r"\bcookies?\b.{0,200}\b(?:consent|accept|agree|policy|settings|browsing|experience|"
            r"sito|site|sitio|navega|navigat|browser|aceit|akzept|privacidad|privacidade|"
            r"datenschutz|pol[ií]tica|esperienza|experi[eê]ncia|utiliz|usamos|verwende|"
            r"continu(?:e|ing) to use)\b"
        ),
        r"^(?:accept(?: all)?(?: cookies)?|reject all|manage (?:cookies|preferences)|got it)\W*$",
        r"^(?:\u00a9|\(c\)|copyright\b)",
        r"\ball rights reserved\b",
        (
            r"^(?:privacy(?: policy)?|terms(?: of (?:use|service|sale))?|contact(?: us)?|about us|"
            r"site ?map|help|faq|careers|advertise(?: with us)?)\W*$"
        ),
        r"^(?:follow us|follow\b.{0,40}\bon (?:twitter|facebook|instagram|x))\b",
        r"^(?:\d+\s+)?(?:comments?|replies|responses)(?:\s*\(\d+\))?\W*$",
        (
            r"^(?:post|leave|add|write|view|show|load|hide) (?:a |the |all |more )?(?:\d+ )?"
            r"(?:comments?|replies|reply)\b"
        ),
        (
            r"^(?:join the (?:conversation|discussion)|comments are (?:closed|moderated)|"
            r"be the first to comment|reply|report|like|upvote|downvote|flag)\b.{0,60}$"
        ),
        (
            r"^(?:read more|read next|more stories|more from|you may (?:also )?like|recommended|"
            r"related(?: articles| stories| posts| coverage| topics)?|most (?:read|popular|viewed)|"
            r"popular posts|trending(?: now)?|explore|see also|also read|watch|listen|next article|"
            r"previous article|tags|topics|filed under|categories)\W*$"
        ),
        r"^(?:click|tap) (?:here|to)\b",
        r"\b(?:click|clicking|tap|tapping) here\b",  # "Get ... delivered. Click here for more."
        # an author's contact note: "Amy Roe may be reached at ...; follow her on Twitter"
        r"\b(?:can|may) be reached (?:at|by|via|on)\b",
        r"\bfollow (?:him|her|them|me|us) on (?:twitter|facebook|instagram|x|linkedin|threads)\b",
        r"^continue reading\b",
        r"\b(?:enable|turn on) javascript\b",
        r"^(?:updated|published|posted|last updated|first published)\b.{0,60}$",
        r"^by\s+[\w.'\u2019 -]{2,60}$",
        r"^(?:previous|next)(?: (?:post|article|story))?\W*$",
        r"^(?:\d+\s*)?(?:shares?|views?|likes?)\W*$",
        (
            r"^(?:facebook|twitter|linkedin|whatsapp|reddit|pinterest|instagram|youtube|telegram|"
            r"email|e-mail|rss|google\+?|flipboard|messenger|sms|x)\W*$"
        ),
    )
]

# One alternation is much faster than trying each pattern in turn.
FURNITURE_RE = re.compile("|".join(f"(?:{r.pattern})" for r in FURNITURE_RES), re.IGNORECASE)

# Photo credits, alone on a line or glued to the end of a caption.
CREDIT_RE = re.compile(
    r"^(?:photo|photograph|image|picture|video|graphic|illustration|credit|source|"
    r"photo credit|image credit)s?\s*(?::|\.{2,}|\u2026|by\b)"
    r"|\bcredit\s*(?::|\.{2,}|\u2026)|\((?:photo|image|picture)s?\s*(?::|by)[^)]*\)\s*$"
    r"|(?:getty images|afp via getty|shutterstock|\bap photo\b|\breuters/|/reuters\b|"
    r"/afp\b|\bafp/|/ap\b|\bepa\b-?efe)\W*$"
    r"|^(?:image|photo|picture|slide|video)\s+\d+\s+(?:of|/)\s+\d+$"
    # "... at the scene. Photo: Coastal Press": a caption ending in its credit.
    r"|[.!?]\s+(?:photo|photograph|image|picture)s?\s*:\s*[^.!?]{2,60}$",
    re.IGNORECASE,
)

# The attribution line of an embedded social post: "— Dana Roe (@danaroe) November 18, 2019".
EMBED_ATTRIBUTION_RE = re.compile(
    r"^[\u2014\u2013-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}",
    re.IGNORECASE,
)

# An enumerated or bulleted item ("3) Lego set", "- Route A") and a line that is only a link.
LIST_ITEM_RE = re.compile(r"(?:\d{1,3}[.)]|[\u2022\u00b7\u25aa\u25ba\u2713\u2714*\u2013-])\s+\S")
URL_RE = re.compile(r"(?:https?://|www\.)\S+")

# Wire services and generic agency words: a short line made only of these is an agency credit.
AGENCY_WORDS = frozenset(
    """ap afp reuters dpa efe ansa upi xinhua tass ria pti ians kyodo yonhap aap anp bloomberg
    associated press agence france presse agencies agency wire wires staff news service services
    with and contributed reporting additional from by via source sources
    inputs writers the""".split()  # noqa: SIM905
)
AGENCY_CORE = frozenset(
    """ap afp reuters dpa efe ansa upi xinhua tass ria pti ians kyodo yonhap aap anp agencies
    associated""".split()  # noqa: SIM905
)

# A section label glued to the next headline by a copy-paste: "RelatedCity council delays...".
GLUED_LABEL_RE = re.compile(
    r"^(?i:related|recommended|read more|read next|more|see also|also read|watch|listen|trending|"
    r"popular|latest|sponsored|promoted|editor's picks|top stories|most read)"
    r"(?:\s*[:|\u2014\u2013]\s*(?=\S)|(?=[A-Z\u201c\u2018\"]))"
)


# The start of a comment thread: "34 Comments", "Leave a Reply", "5 responses to ...".
COMMENTS_START_RE = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reactions|discussion|commenti|commento|"
    r"coment[aá]rios?|comentarios?|kommentare?|commentaires?|комментари\w*)\b(?:\s*\(\d+\))?"
    r"|^(?:leave|post|add|write|submit) (?:a |your )?(?:comment|reply|response)\b"
    r"|^(?:lascia|deixe|deja|schreibe|laisser)\b.{0,20}\b(?:commento|coment|kommentar|commentaire)"
    r"|^join the (?:conversation|discussion)\b",
    re.IGNORECASE,
)
# The tag list that closes an article ("Tags:", "Filed under: Harbour, Ferries", "Etiquetas:").
ARTICLE_END_RE = re.compile(
    r"^(?:tags|tagged(?: with)?|topics|related topics|filed under|categories|posted in|"
    r"etiquetas|schlagw[o\u00f6]rter|mots-cl[e\u00e9]s|argomenti|\u0442\u0435\u0433\u0438)\s*:",
    re.IGNORECASE,
)
# The author box that closes many articles: "About the author", "Sobre Ana Lima".
AUTHOR_BOX_RE = re.compile(
    r"^(?:(?i:about the author|sobre o autor|[uü]ber den autor|[aà] propos de l'auteur)|"
    r"(?i:about|sobre|[uü]ber) [A-Z]\w+(?: [A-Z]\w+){0,2}$)"
)
# Labels of a list of other stories ("You may also like"); inside a body they mark a box.
TAIL_LABEL_RE = re.compile(
    r"^(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|"
    r"related (?:articles|stories|posts)|"
    r"more (?:stories|from|on this|articles|news)|recommended(?: for you| stories)?|"
    r"most (?:read|popular|viewed|shared)|popular (?:posts|stories|now)|"
    r"voc[eê] (?:pode|tamb[eé]m pode) gostar|leia (?:tamb[eé]m|mais)|veja (?:tamb[eé]m|mais)|"
    r"(?:ti )?potrebbe(?:ro)? (?:interessarti|piacerti)|articoli correlati|lee tambi[eé]n|"
    r"te puede interesar|siehe auch|das k[oö]nnte sie (?:auch )?interessieren|"
    r"[aà] lire aussi|sur le m[eê]me sujet|читайте также|похожие (?:статьи|записи))\b",
    re.IGNORECASE,
)
# A summary cut short by the site: the shape of "more stories" teasers.
TEASER_RE = re.compile(r"(?:\.{3}|\u2026)\s*(?:\[?(?:read )?more\]?|\]|\))?\s*$", re.IGNORECASE)
# A commenter's header: "jane99 says:", "Sam on May 2, 2019 at 4:47 pm said:".
COMMENTER_RE = re.compile(r"\b(?:says|said|wrote|writes|commented|replied)\s*:\s*$", re.IGNORECASE)
CLOCK_RE = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d\d\b|\bago\b", re.IGNORECASE)
