"""The "Question editors" group, and the starter red-flag terms and decline reasons (both are
edited in the admin afterwards)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Question editors"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("questions", "question", "view_question"),
    ("questions", "question", "change_question"),
    *[
        ("questions", model, f"{action}_{model}")
        for model in ("redflagterm", "declinereason")
        for action in ("view", "add", "change", "delete")
    ],
]
RED_FLAGS = [
    ("chest pain", "possible heart attack"),
    ("chest tightness", "possible heart attack"),
    ("can't breathe", "breathing difficulty"),
    ("cannot breathe", "breathing difficulty"),
    ("struggling to breathe", "breathing difficulty"),
    ("choking", "airway"),
    ("face drooping", "stroke sign (FAST)"),
    ("slurred speech", "stroke sign (FAST)"),
    ("arm weakness", "stroke sign (FAST)"),
    ("stroke", "stroke"),
    ("suicidal", "suicidal thoughts"),
    ("suicide", "suicidal thoughts"),
    ("kill myself", "suicidal thoughts"),
    ("end my life", "suicidal thoughts"),
    ("self-harm", "self-harm"),
    ("overdose", "poisoning"),
    ("severe bleeding", "bleeding"),
    ("won't stop bleeding", "bleeding"),
    ("coughing up blood", "bleeding"),
    ("vomiting blood", "bleeding"),
    ("anaphylaxis", "severe allergic reaction"),
    ("throat swelling", "severe allergic reaction"),
    ("unconscious", "collapse"),
    ("seizure", "fit"),
    ("having a fit", "fit"),
    ("stiff neck and rash", "possible meningitis"),
]
REASONS = [
    (
        "Personal advice",
        "We can't answer questions about one person's own symptoms or treatment: please speak to "
        "a doctor, pharmacist or nurse who can examine you.",
    ),
    (
        "Out of scope",
        "Your question is outside the topics our experts write about, so we won't be writing an "
        "answer to it.",
    ),
    (
        "Not enough to go on",
        "We couldn't tell what you wanted to know. You are welcome to ask again with a little "
        "more detail.",
    ),
]


def create(apps, schema_editor):
    app_config = apps.get_app_config("questions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).first()
        if permission:
            group.permissions.add(permission)
    RedFlagTerm = apps.get_model("questions", "RedFlagTerm")
    for term, note in RED_FLAGS:
        RedFlagTerm.objects.get_or_create(term=term, defaults={"note": note})
    DeclineReason = apps.get_model("questions", "DeclineReason")
    for order, (label, text) in enumerate(REASONS):
        DeclineReason.objects.get_or_create(label=label, defaults={"text": text, "order": order})


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create, remove)]
