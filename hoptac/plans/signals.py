"""What the plans app announces, so that the apps above it act on a plan's changes without the plans app
importing them (docs/decisions/0009-app-layering.md)."""

from django.dispatch import Signal

# Sent by services.plan_load inside its transaction, once the plan, its targets and its tasks are saved;
# argument: `plan`. The tasks app creates the follow-up row of each new task (tasks/signals.py).
plan_loaded = Signal()
