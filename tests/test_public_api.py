"""The front door of each package: ``__all__`` is what it exports, and it imports."""

import importlib

import pytest

EXPECTED = {
    "assistant": {"Answer", "Assistant", "Attempt", "Call", "Plan"},
    "domains": {"Adapter", "DomainPack", "Entity", "IndexSurface", "InputCheck", "InvalidInputError", "adapter_for",
                "find_adapters", "Pack", "Recipe", "Renderer",
                "SciwandError", "Validator", "coerce", "find_adapter", "parse_entity", "UnknownDomainError", "all_packs",
                "domain_names", "get_pack", "recognise"},
    "retrieval": {"HARVESTER_VERSION", "ApiEntry", "BuildReport", "DomainIndex", "EmbeddingModelError", "Hit",
                  "IndexNotBuiltError", "IndexStore", "Mode", "Param", "RetrievalError", "SciwandRetriever",
                  "Searcher", "VectorStoreError", "build_all", "default_searcher", "fingerprint", "harvest", "search"},
    "eval": {"RetrievalRecord", "Task", "TaskFormatError", "bundled_task_files", "check", "evaluate_task", "load_tasks",
             "parse_task", "retrieval_summary"},
}


@pytest.mark.parametrize("package", sorted(EXPECTED))
def test_all_is_pinned_and_importable(package):
    module = importlib.import_module(package)
    assert set(module.__all__) == EXPECTED[package]
    for name in module.__all__:
        assert getattr(module, name) is not None


def test_errors_share_one_root_and_a_builtin():
    from domains import SciwandError, UnknownDomainError
    from eval import TaskFormatError
    from retrieval import IndexNotBuiltError, VectorStoreError

    assert issubclass(UnknownDomainError, (SciwandError, LookupError))
    assert issubclass(IndexNotBuiltError, LookupError) and issubclass(IndexNotBuiltError, SciwandError)
    assert issubclass(VectorStoreError, ConnectionError) and issubclass(TaskFormatError, ValueError)
