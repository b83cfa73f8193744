"""Between Simplified and Traditional Chinese with OpenCC.

``to_simplified`` uses OpenCC's Taiwan→mainland phrase table (``tw2sp``), but applied directly
to Simplified text that table rewrites ordinary mainland words (序列→串行, 向量→矢量, 程序→进程,
文件→文档, 显著→显着, 尼日利亚→尼日尔利亚 ...). We therefore run our own OpenCC configuration: the
``tw2sp`` phrase table plus Hong Kong variant characters, without Taiwan variant characters, and
with an override list of words that must be left as they are (see ``_MAINLAND_KEEP``).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from typing import TYPE_CHECKING, Any, Final, Literal

from glossary.language.scripts import has_han, words_of

if TYPE_CHECKING:
    import opencc


# Words that OpenCC's Taiwan→mainland phrase table would rewrite although mainland Simplified
# uses them exactly as they are (often in this domain: 序列 sequence, 向量 vector, 智慧城市,
# 评估指标, 查询, 离线学习, 高阶函数, 类比推理, stacking 堆叠), plus names the table damages
# (尼日利亚→尼日尔利亚, 塔吉克斯坦→塔吉克斯坦斯坦) and a few phrases that a shorter
# Taiwan entry would otherwise cut into (安全形势 is not 安全 + 全形). The table still wins where it
# has a longer entry (人工智慧→人工智能, 序列埠→串口). Both scripts are listed where they differ.
_MAINLAND_KEEP: Final = frozenset(
    words_of(
        """
        建立 程序 核心 文件 宣告 支援 智慧 新增 整合 序列 行程 呼叫 批次 物件 元件 影像 效能 字型
        使用者 向量 相容 埠 遮蔽 影印 存取 稽核 乳酪 停用 心肌梗塞 防毒 登出 桌布 社群 碟片 白血球
        冰棒 剪下 重新整理 外接 查德 塔吉克
        執行 指標 查詢 複製 類比 高階 離線 截圖 正規化 啟用 設定 傳送 儲存 堆疊
        塔吉克斯坦 烏茲別克斯坦 乌兹别克斯坦 土庫曼斯坦 土库曼斯坦 哈薩克斯坦 哈萨克斯坦
        尼日爾 尼日尔 尼日利亞 尼日利亚 厄瓜多爾 厄瓜多尔 伊利諾伊 伊利诺伊 歐萊雅 欧莱雅
        安全形勢 安全形势 電子音 电子音 電影片 电影片 液晶片 位元素
        """
    )
)


_OPENCC_LOCK: Final = threading.Lock()


_CONVERTERS: dict[str, opencc.OpenCC] = {}


def _opencc_share_dir() -> str:
    import opencc

    # The wrapper resolves built-in configuration names to files in its data directory.
    return os.path.dirname(opencc.OpenCC("t2s").config)


def _build_mainland_converter() -> opencc.OpenCC:
    import opencc

    share = _opencc_share_dir()

    def ocd2(name: str) -> dict[str, Any]:
        return {"type": "ocd2", "file": os.path.join(share, f"{name}.ocd2")}

    # Like OpenCC's tw2sp.json, except: our keep-list comes first in a "union" group (longest
    # match wins, ties go to the earlier dictionary), Hong Kong variant characters are folded too,
    # and Taiwan variant characters are left to TSCharacters because TWVariantsRev turns the
    # Simplified 著 into 着 (显著→显着).
    config = {
        "name": "Traditional (Taiwan or Hong Kong) to Simplified, mainland phrasing, for matching",
        "normalization": [{"dict": ocd2("CJK_Compatibility_Ideographs")}],
        "segmentation": {"type": "mmseg", "dict": ocd2("TSPhrases")},
        "conversion_chain": [
            {
                "dict": {
                    "type": "group",
                    "match_policy": "union",
                    "dicts": [
                        {"type": "inline", "entries": {word: word for word in _MAINLAND_KEEP}},
                        ocd2("TWPhrasesRev"),
                        ocd2("HKVariantsRevPhrases"),
                        ocd2("HKVariantsRev"),
                    ],
                }
            },
            {
                "dict": {
                    "type": "group",
                    "match_policy": "short_circuit",
                    "dicts": [ocd2("TSPhrases"), ocd2("TSCharacters")],
                }
            },
        ],
    }
    # The Python binding only loads configurations from files; the dictionaries are read into
    # memory by the constructor, so the file can go straight away.
    with tempfile.TemporaryDirectory(prefix="glossary-opencc-") as directory:
        path = os.path.join(directory, "mainland.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(config, handle, ensure_ascii=False)
        return opencc.OpenCC(path, include_tofu_risk_dictionaries=False)


def _converter(name: str) -> opencc.OpenCC:
    converter = _CONVERTERS.get(name)
    if converter is not None:
        return converter
    with _OPENCC_LOCK:
        converter = _CONVERTERS.get(name)
        if converter is None:
            if name == "mainland":
                converter = _build_mainland_converter()
            else:
                import opencc

                converter = opencc.OpenCC(name, include_tofu_risk_dictionaries=False)
            _CONVERTERS[name] = converter
        return converter


def to_simplified(text: str) -> str:
    """Fold Traditional (Taiwan, Hong Kong or generic) to Simplified with mainland phrasing, for matching."""
    if not has_han(text):
        return text
    return _converter("mainland").convert(text)


def to_traditional(text: str, region: Literal["tw", "hk"] = "tw") -> str:
    """Suggest a Traditional form of Simplified text with regional phrasing (OpenCC s2twp or s2hk)."""
    if region not in ("tw", "hk"):
        raise ValueError(f"unknown region {region!r}; expected 'tw' or 'hk'")
    if not has_han(text):
        return text
    return _converter("s2twp" if region == "tw" else "s2hk").convert(text)


def to_simplified_characters(text: str) -> str:
    # Plain t2s keeps the words as written (演算法 stays 演算法), which is what pinyin needs.
    if not has_han(text):
        return text
    return _converter("t2s").convert(text)
