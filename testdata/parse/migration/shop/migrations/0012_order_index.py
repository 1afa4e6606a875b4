from django.db import migrations, models


class Migration(migrations.Migration):
    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["created"], name="order_created_idx"),
        ),
    ]
