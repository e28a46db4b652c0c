"""Train the practice-area classifier and the article suggester from the bundles into var/legalai/."""

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from lawqa.legalai import services, training


def _installed_stamp() -> str | None:
    """The installed embedding model's stamp (None: it cannot be loaded)."""
    from lawqa.embeddings.model import ModelUnavailable, model_stamp

    try:
        return model_stamp()
    except ModelUnavailable:
        return None


class Command(BaseCommand):
    help = "用内置数据训练专业领域分类模型和法条推荐索引（写入 var/legalai/）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--cv",
            action="store_true",
            help="报告5折交叉验证的分类准确率、置信度校准和主要混淆"
            "（交叉验证总会运行：置信度的温度由它拟合）",
        )
        parser.add_argument(
            "--cv-out", default="", help="把交叉验证的预测写成 JSON Lines（可用 score.py 评分）"
        )

    def handle(self, *args, cv: bool = False, cv_out: str = "", **options):
        data = settings.DATA_DIR
        records = training.qa_records(training.read_jsonl_gz(data / "demo_qa.jsonl.gz"))
        dev = training.read_jsonl_gz(data / "legalai" / "classify_dev.jsonl.gz")
        labelled = [(r["question"], r["category"]) for r in dev]
        ids = [r["id"] for r in dev]
        out_dir = services.model_dir()
        vectors = training.stored_vectors(data / "vectors", _installed_stamp())
        if vectors is None:
            self.stderr.write("未找到与已安装的向量模型一致的 data/vectors/ 向量：只用词语特征训练。")
        started = time.perf_counter()
        # Cross-validation first: its out-of-fold margins calibrate the confidence.
        result = training.cross_validate_classifier(labelled, records, ids=ids, vectors=vectors)
        model = training.fit_classifier(
            labelled, records, temperature=result.temperature, ids=ids, vectors=vectors
        )
        model.save(out_dir / services.CLASSIFIER_FILE)
        self.stdout.write(
            f"分类模型：{len(labelled)} 条标注 + 弱标注，{'含' if vectors else '不含'}语义向量特征，"
            f"置信度温度 {result.temperature:.3f}（5折交叉验证拟合），用时 {time.perf_counter() - started:.1f} 秒"
        )
        started = time.perf_counter()
        from lawqa.statutes.library import read_bundle

        suggester = training.fit_suggester(read_bundle(data / "laws.jsonl.gz"), records, vectors=vectors)
        suggester.save(out_dir / services.SUGGESTER_FILE)
        # Rankings of the old models: each question is ranked again on its next page view.
        dropped = services.forget_stored_suggestions()
        self.stdout.write(
            f"法条推荐：{len(suggester.refs)} 条条文，{len(suggester.known_ids)} 个已知问题，"
            f"{'含' if suggester.uses_vectors() else '不含'}语义向量，用时 {time.perf_counter() - started:.1f} 秒"
            + (f"；已清除 {dropped} 个问题按旧模型排出的相关法条" if dropped else "")
        )
        if cv:
            folds = " ".join(f"{a:.3f}" for a in result.fold_accuracies)
            self.stdout.write(f"5折交叉验证准确率 {result.accuracy:.4f}（各折 {folds}）")
            if training.USE_KEYWORD_RULES:
                honest = training.cross_validate_classifier(
                    labelled, records, ids=ids, vectors=vectors, keywords=False
                )
                folds = " ".join(f"{a:.3f}" for a in honest.fold_accuracies)
                self.stdout.write(
                    f"不用关键词规则的5折交叉验证准确率 {honest.accuracy:.4f}（各折 {folds}）："
                    "关键词规则是对照这些标注问题写的，含规则的数字偏乐观"
                )
            self.stdout.write(
                f"置信度校准（平均置信度/准确率/ECE）：固定温度 {json.dumps(result.calibration_before)}，"
                f"校准后 {json.dumps(result.calibration_after)}"
            )
            for gold, pred, n in result.confusions[:10]:
                self.stdout.write(f"  {gold} → {pred}: {n}")
            if cv_out:
                with open(cv_out, "w", encoding="utf-8") as f:
                    for r, (area, conf) in zip(dev, result.predictions, strict=True):
                        row = {"id": r["id"], "category": area, "confidence": round(conf, 4)}
                        f.write(json.dumps(row, ensure_ascii=False) + "\n")
