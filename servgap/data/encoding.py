"""Decode a survey export: UTF-8 (with or without BOM), GB18030/GBK (Chinese) or CP949 (Korean).

GB18030 and CP949 can each decode most byte strings written in the other, so "decodes without
error" does not tell them apart. Each candidate decoding is scored instead by how much of its text
consists of the most frequent characters of its language (common hanzi for GB18030, common Hangul
syllables for CP949): text decoded with the wrong code page turns into rare characters.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass

# The most frequent characters of general and survey Chinese text.
_COMMON_HANZI = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
    "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
    "日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
    "美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件"
    "计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
    "收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
    "八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列"
    "武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供"
    "效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值"
    "仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳"
    "若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷"
    "洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积餐店员顾客意满"
)
# The most frequent Hangul syllables of Korean text.
_COMMON_HANGUL = set(
    "이다의는에하고을를가지서한로기사니요해어게도리대아들으있수자정시인나보일것우면적그거라주부전오상마성장"
    "제무소내여구만원화비중신과관없경선세되않문생위행안방동조분모연공물했말터모두계실유개통발전용학교업까"
    "데감렇저음요때했님야겠던처럼께부터으로에서에게까지해서하는있는합니다입니다습니다었다였다했다한다된다"
    "키오스크설문기대인지사용자결제거래화면스크린정보편리빠르쉽게이용서비스만족불편선택내용정확처리제공"
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how its encoding was established."""

    text: str
    encoding: str
    detected: bool


class DecodeError(Exception):
    """The bytes are not text in any supported encoding; ``offset`` is the first bad byte."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def valid_utf8(chunks: Iterable[bytes]) -> bool:
    """Whether the bytes, given in pieces, are UTF-8 throughout (decoded piece by piece, nothing
    kept; a character split between pieces is fine; ASCII pieces are taken as they are).

    >>> valid_utf8([b"caf", "é".encode()[:1], "é".encode()[1:]]), valid_utf8([b"\\xff"])
    (True, False)
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            if not chunk.isascii():
                decoder.decode(chunk)
            elif decoder.getstate()[0]:
                decoder.decode(chunk)  # a character started in the piece before must end here
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _score(text: str, common: set[str]) -> float:
    """Share of the non-ASCII characters of ``text`` that are among ``common``."""
    wide = [char for char in text if ord(char) > 127]
    if not wide:
        return 0.0
    return sum(char in common for char in wide) / len(wide)


def decode(raw: bytes, encoding: str | None = None) -> Decoded:
    """Decode ``raw`` with ``encoding``, or detect UTF-8, GB18030 or CP949.

    Raises
    ------
    DecodeError
        When the forced encoding fails, or no supported encoding decodes the bytes.
    """
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise DecodeError(f"unknown encoding '{encoding}'; use e.g. utf-8, gb18030 or cp949", -1) from None
        try:
            return Decoded(raw.decode("utf-8-sig" if codec == "utf-8" else codec), codec, detected=False)
        except UnicodeDecodeError as error:
            raise DecodeError(f"the file is not valid {codec}", error.start) from None
    try:
        return Decoded(raw.decode("utf-8-sig"), "utf-8", detected=True)
    except UnicodeDecodeError as error:
        utf8_error = error.start
    candidates: list[tuple[float, str, str]] = []
    sample = raw[:200_000]
    for codec, common in (("gb18030", _COMMON_HANZI), ("cp949", _COMMON_HANGUL)):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(sample.decode(codec, errors="ignore"), common), codec, text))
    if not candidates:
        raise DecodeError("the file is not UTF-8, GB18030/GBK or CP949 text", utf8_error)
    _, codec, text = max(candidates, key=lambda candidate: candidate[0])
    return Decoded(text, codec, detected=True)
