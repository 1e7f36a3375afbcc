"""Evaluation: task files in the task spec format, checkers and metrics."""

from eval.checkers import check
from eval.errors import TaskFormatError
from eval.retrieval_metrics import RetrievalRecord, evaluate_task, retrieval_summary
from eval.tasks import Task, bundled_task_files, load_tasks, parse_task

__all__ = [
    "RetrievalRecord",
    "Task",
    "TaskFormatError",
    "bundled_task_files",
    "check",
    "evaluate_task",
    "load_tasks",
    "parse_task",
    "retrieval_summary",
]
