"""Every pack's recipes name real API objects, briefly, and load as declared."""

import pytest

from domains import Recipe, domain_names, get_pack
from retrieval._resolve import MISSING, resolve

MAX_WORDS = 60
MAX_ASK_WORDS = 40
BUNDLED = {"chemistry", "biology", "astronomy"}  # a further pack may ship no recipes


def exists(name: str, surface) -> bool:
    """A live object, or a member the harvester finds through the pack's delegations
    and dynamic members (``SkyCoord.separation``, ``Time.jd``)."""
    if resolve(name) is not MISSING:
        return True
    owner, member = name.rsplit(".", 1)
    delegate = surface.delegations.get(owner)
    dynamic = surface.dynamic_members.get(owner)
    return (delegate is not None and resolve(f"{delegate}.{member}") is not MISSING) or (
        dynamic is not None and member in dynamic())


@pytest.mark.parametrize("domain", domain_names())
def test_recipes_name_live_objects_briefly(domain):
    pack = get_pack(domain)
    recipes = pack.recipes()
    if domain in BUNDLED:
        assert len(recipes) >= 50, f"{domain} has only {len(recipes)} recipes"
    unknown = sorted({name for recipe in recipes for name in recipe.uses if not exists(name, pack.surface)})
    assert unknown == [], f"{domain} recipes use objects that do not exist: {unknown}"
    long = [recipe.task[:60] for recipe in recipes if len(recipe.task.split()) > MAX_WORDS]
    assert long == [], f"{domain} recipe tasks over {MAX_WORDS} words: {long}"
    assert all(1 <= len(recipe.uses) <= 6 for recipe in recipes)
    long = [ask for recipe in recipes for ask in recipe.asks if len(ask.split()) > MAX_ASK_WORDS]
    assert long == [], f"{domain} recipe questions over {MAX_ASK_WORDS} words: {long}"


def test_recipes_load_from_the_pack_folder(tmp_path):
    from domains._base import load_recipes

    (tmp_path / "recipes.yaml").write_text("- task: >\n    count the\n    rings\n  uses: [rdkit.Chem.MolFromSmiles]\n"
                                           "- task: weigh it\n  uses: [rdkit.Chem.Descriptors.MolWt]\n"
                                           "  asks: ['How heavy is  aspirin?']\n")
    assert load_recipes(tmp_path / "recipes.yaml") == (
        Recipe("count the rings", ("rdkit.Chem.MolFromSmiles",)),
        Recipe("weigh it", ("rdkit.Chem.Descriptors.MolWt",), ("How heavy is aspirin?",)))
    assert load_recipes(tmp_path / "absent.yaml") == ()
    for bad in ("- task: no entries\n  uses: []\n", "- task: t\n  uses: [a.b]\n  asks: a question\n",
                "- task: t\n  uses: [a.b]\n  ask: [a typo]\n", "- task: ' '\n  uses: [a.b]\n"):
        (tmp_path / "bad.yaml").write_text(bad)
        load_recipes.cache_clear()
        with pytest.raises(ValueError, match="recipe 1 is malformed"):
            load_recipes(tmp_path / "bad.yaml")
    (tmp_path / "bad.yaml").write_text("task: not a list\n")
    load_recipes.cache_clear()
    with pytest.raises(ValueError, match="a list of recipes"):
        load_recipes(tmp_path / "bad.yaml")
