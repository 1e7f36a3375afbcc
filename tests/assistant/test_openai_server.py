"""``openai:<name>`` against a real OpenAI-compatible server: llama_cpp.server serving the
embedded Gemma, reached through $OPENAI_BASE_URL with no API key."""

from __future__ import annotations

from langchain_core.messages import AIMessage

from assistant.models import load_chat_model, model_errors


def test_openai_provider_answers_through_a_local_server(openai_env):
    model = load_chat_model("openai:gemma-3-270m")
    with model_errors("openai:gemma-3-270m"):
        reply = model.invoke("What is the chemical symbol of gold?", max_tokens=8)
    assert isinstance(reply, AIMessage) and reply.content.strip()
    assert 0 < reply.usage_metadata["output_tokens"] <= 8


def test_the_server_takes_a_grammar_in_the_request_body(openai_env):
    reply = load_chat_model("openai:gemma-3-270m").invoke(
        "Pick a Greek letter.", max_tokens=4, extra_body={"grammar": 'root ::= "alpha" | "beta"'})
    assert reply.content in ("alpha", "beta")


def test_the_assistant_answers_through_the_openai_backend(openai_env, searcher):
    """The whole loop with the remote path: the model writes the program over HTTP
    under the grammar, the sandbox runs it, verification judges it."""
    from assistant import Assistant

    with Assistant(model="openai:gemma-3-270m", mode="code", planner="grammar-code", searcher=searcher,
                   repair_rounds=0, cache=False) as helper:
        answer = helper.ask("What is the GC fraction of ATGCGCGCAT?", "biology")
    program = answer.attempts[0].code
    assert program.splitlines()[-2].startswith("result = ") and "(" in program.splitlines()[-2]
    assert answer.attempts[0].result is not None  # it ran in the sandbox
    assert answer.verified != answer.refused  # either a verified value or a reasoned refusal
