"""Search API: similar answered questions for a title being typed (GET /api/v1/questions/similar)."""

from ninja import Query, Router, Schema

from lawqa.search import queries

router = Router(tags=["search"])


class SimilarIn(Schema):
    q: str = ""


class SimilarOut(Schema):
    id: int
    title: str
    area: str
    answer_count: int
    url: str


@router.get("/questions/similar", response=list[SimilarOut], summary="与标题相似的已解答问题（最多5个）")
def similar_questions(request, params: Query[SimilarIn]):
    return [
        SimilarOut(
            id=q.pk,
            title=q.title,
            area=q.category.name,
            answer_count=q.answer_count,
            url=q.get_absolute_url(),
        )
        for q in queries.similar_questions(params.q)
    ]
