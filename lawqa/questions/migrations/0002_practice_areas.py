"""Create the 20 practice areas.

A frozen copy of lawqa/common/areas.py as it was when this migration was written: a migration must
create the same rows whatever the live list says later (a later change of the list gets its own
migration).
"""

from django.db import migrations

AREAS = (
    ("marriage-family", "婚姻家庭", "离婚、抚养权、彩礼、夫妻财产、继承与赡养"),
    ("labor", "劳动纠纷", "劳动合同、拖欠工资、辞退补偿、工伤与社保"),
    ("traffic", "交通事故", "事故责任认定、保险理赔、人身伤亡赔偿"),
    ("debt", "债权债务", "借款、欠款追讨、民间借贷与担保责任"),
    ("criminal", "刑事辩护", "刑事案件辩护、取保候审、量刑与羁押"),
    ("contract", "合同纠纷", "合同效力、违约责任、解除与赔偿"),
    ("real-estate", "房产纠纷", "买卖、租赁、产权登记与物业纠纷"),
    ("tort", "侵权", "名誉、隐私、财产侵权及损害赔偿"),
    ("company", "公司法", "股权、公司治理、股东权利与公司解散"),
    ("medical", "医疗纠纷", "医疗事故、医疗损害鉴定与赔偿"),
    ("demolition", "拆迁安置", "征收补偿、安置协议与违法拆迁"),
    ("administrative", "行政诉讼", "行政处罚、行政复议与行政诉讼"),
    ("construction", "建设工程", "工程款、施工合同、挂靠与质量纠纷"),
    ("ip", "知识产权", "商标、专利、著作权与不正当竞争"),
    ("general", "综合咨询", "其他法律问题与法律程序咨询"),
    ("personal-injury", "人身损害", "人身伤害、打架斗殴与损害赔偿"),
    ("foreign", "涉外法律", "涉外婚姻、涉外合同、出入境与外籍人士"),
    ("maritime", "海事海商", "船舶、海上运输、海难救助与保险"),
    ("consumer", "消费权益", "假一赔三、退一赔三、网购与售后纠纷"),
    ("mortgage", "抵押担保", "抵押、质押、保证及担保物权"),
)


def create_areas(apps, schema_editor):
    Category = apps.get_model("questions", "Category")
    for order, (slug, name, description) in enumerate(AREAS):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]
    operations = [migrations.RunPython(create_areas, migrations.RunPython.noop)]
