import importlib

from django.db import migrations

# The same step as 0002: create permissions now, then give each role its list from articles.roles.
create_roles = importlib.import_module("articles.migrations.0002_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
