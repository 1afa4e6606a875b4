from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False
    operations = [
        AddIndexConcurrently(
            model_name="order",
            index=models.Index(fields=["created"], name="order_created_idx"),
        ),
    ]
