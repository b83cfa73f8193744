"""A tiny corpus for the radar's tests, written for them: two English texts a year apart and a
Chinese text aligned with the later one."""

import datetime as dt

EARLY = """Frontier models and the digital economy.

Developers of frontier models should publish safety frameworks. A frontier model is a general
purpose model at the edge of what is possible.

The digital economy depends on trust. Governments discussed model evaluations and red teaming.
"""

LATE = """Frontier model safety.

Frontier models need model evaluations before release. Red teaming finds the risks of frontier models.

Watermarking of synthetic content helps people. Synthetic content should carry watermarking.

Agentic systems act on their own. Agentic systems need oversight.
"""

LATE_ZH = """前沿模型安全。

前沿模型在发布前需要模型评估。红队测试发现前沿模型的风险。

合成内容的数字水印帮助人们。合成内容应当带有数字水印。

智能体系统自主行动。智能体系统需要监督。
"""

DATES = {"early": dt.date(2023, 11, 1), "late": dt.date(2024, 5, 20)}
