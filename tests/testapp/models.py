from django.db import models

from core.workflow import WorkflowAction
from teams.models import AdministrativeUnit


class Paper(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE)
    state = models.CharField(max_length=24, default="draft")

    def __str__(self) -> str:
        return f"Paper {self.pk} ({self.state})"


class PaperAction(WorkflowAction):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="actions")
