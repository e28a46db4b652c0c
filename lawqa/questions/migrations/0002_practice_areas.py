"""Create the 20 practice areas."""

from django.db import migrations

from lawqa.common.areas import AREAS


def create_areas(apps, schema_editor):
    Category = apps.get_model("questions", "Category")
    for order, area in enumerate(AREAS):
        Category.objects.update_or_create(
            slug=area.slug, defaults={"name": area.name, "description": area.description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]
    operations = [migrations.RunPython(create_areas, migrations.RunPython.noop)]
