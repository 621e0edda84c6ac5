"""Rank fusion and near-duplicate collapse as pure functions."""

from __future__ import annotations

import numpy as np

from index.search import collapse_near_duplicates, fuse_rankings


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = fuse_rankings([[1, 2, 3], [3, 1, 4]], k=60)
    order = [item for item, _ in fused]
    assert order[0] == 1  # ranked 1st and 2nd
    assert order[1] == 3  # ranked 3rd and 1st
    assert set(order) == {1, 2, 3, 4}
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_fusion_of_nothing_is_empty() -> None:
    assert fuse_rankings([[], []]) == []


def test_near_duplicates_collapse_to_the_first() -> None:
    vectors = np.array([[1.0, 0.0], [0.999, 0.0447], [0.0, 1.0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert collapse_near_duplicates([0, 1, 2], vectors, threshold=0.95) == [0, 2]
    assert collapse_near_duplicates([1, 0, 2], vectors, threshold=0.95) == [1, 2]
