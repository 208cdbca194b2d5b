"""Planning a draft: meeting type → parts → headings → what goes under each; time fitting."""

from app.compose.plan.speech import PassageLookup, plan_draft

__all__ = ["PassageLookup", "plan_draft"]
