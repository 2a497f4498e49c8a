"""Issue 11: the banks and consumer-finance lenders people named are in the catalogue, each found
by several of the names people type, none with a hotline FACTS.md does not confirm."""

from __future__ import annotations

import pytest

from helpers import invoke, run
from repaycli.catalog import load_catalogue
from repaycli.core.models import _key

#: id → names a user may type (Chinese name, short name, pinyin, English).
NEW = {
    "pingan": ["平安银行", "平安", "pingan", "Ping An Bank", "平安银行信用卡"],
    "guangfa": ["广发银行", "广发", "guangfa", "CGB"],
    "guangda": ["光大银行", "光大", "guangda", "China Everbright Bank"],
    "minsheng": ["民生银行", "民生", "minsheng", "CMBC"],
    "xingye": ["兴业银行", "兴业", "xingye", "Industrial Bank"],
    "huaxia": ["华夏银行", "华夏", "huaxia", "Hua Xia Bank"],
    "duxiaoman": ["度小满", "有钱花", "duxiaoman", "Du Xiaoman"],
    "zhaolian": ["招联金融", "招联", "好期贷", "zhaolian", "Zhaolian Consumer Finance"],
    "mashang": ["马上消费金融", "马上消费", "mashang", "Mashang Consumer Finance"],
    "zhongyuan": ["中原消费金融", "中原消金", "zhongyuan", "Zhongyuan Consumer Finance"],
    "jietiao360": ["360借条", "奇富借条", "360", "360 Jietiao"],
    "fenqile": ["分期乐", "乐信", "fenqile", "Fenqile"],
    "anyihua": ["安逸花", "anyihua", "An Yi Hua"],
    "meituan_loan": ["美团借钱", "美团借款", "meituan jieqian", "Meituan loan"],
    "jdjr": ["京东金融", "jdjr", "JD Finance", "jd_finance"],
}

#: Hotlines FACTS.md confirms (secondary sources); any other number would be made up.
CONFIRMED = {"95188", "95017", "95384", "95588", "95533", "95599", "95566", "95555", "95559",
             "95558", "95528", "95580"}  # fmt: skip


@pytest.mark.parametrize(("pid", "names"), sorted(NEW.items()))
def test_each_new_lender_resolves_by_several_names(pid: str, names: list[str]) -> None:
    catalogue = load_catalogue()
    for name in names:
        assert catalogue.resolve(name).id == pid, name
        assert catalogue.resolve(f"  {name.upper()} ").id == pid, name


@pytest.mark.parametrize(
    ("pid", "typed"),
    [("zhaohang", "招行信用卡"), ("zhaohang", "招商信用卡"), ("gonghang", "工行信用卡"),
     ("jianhang", "建设信用卡"), ("youchu", "邮储信用卡")],
)  # fmt: skip
def test_a_bank_card_is_found_as_people_say_it(pid: str, typed: str) -> None:
    """A cardholder names the card "招行信用卡": it is not an unknown platform."""
    assert load_catalogue().resolve(typed).id == pid


def test_no_two_lenders_share_a_name() -> None:
    owner: dict[str, str] = {}
    for platform in load_catalogue().platforms:
        for name in [platform.id, platform.name_zh, platform.name_en, *platform.aliases]:
            key = _key(name)
            assert owner.setdefault(key, platform.id) == platform.id, (name, owner[key])


def test_no_unconfirmed_hotline_is_given_and_each_says_where_to_find_it() -> None:
    for platform in load_catalogue().platforms:
        if platform.hotline is not None:
            assert platform.hotline in CONFIRMED, platform.id
            continue
        assert "hotline" in platform.unconfirmed, platform.id
        source = platform.sources["hotline"].lower()
        assert "app" in source or "card" in source, platform.id
    for pid in NEW:
        platform = load_catalogue().get(pid)
        assert platform.hotline is None
        assert "App" in platform.notes_zh and "app" in platform.notes_en


def test_plan_takes_a_new_lender_by_its_chinese_name() -> None:
    args = ["plan", "--no-input", "--platform", "招联", "--overdue", "8000", "--income", "9000"]
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    assert '"zhaolian"' in result.stdout
    done = run("--lang", "zh", *args[:3], "度小满", *args[4:], "--json")
    assert done.returncode == 0, done.stderr
    assert '"duxiaoman"' in done.stdout
