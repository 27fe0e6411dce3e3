"""The teacher map on the student's grid: area averages where it shrinks,
bilinear where it grows, against numpy computations of each."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmxtkd.models.alignment import align_to_student, resize_map


def bin_matrix(n: int, m: int) -> np.ndarray:
    """(m, n): row i averages the inputs of output bin i, inputs
    floor(i n / m) .. ceil((i + 1) n / m) - 1 (integer arithmetic)."""
    a = np.zeros((m, n))
    for i in range(m):
        lo, hi = (i * n) // m, -((-(i + 1) * n) // m)
        a[i, lo:hi] = 1.0 / (hi - lo)
    return a


def test_one_cell_is_the_mean_of_the_whole_map():
    x = torch.randn(2, 5, 16, 16, dtype=torch.float64)
    out = resize_map(x, (1, 1))
    np.testing.assert_allclose(out.numpy()[..., 0, 0],
                               x.numpy().mean((2, 3)), rtol=1e-12)


def test_integer_factor_is_the_block_average():
    x = torch.randn(2, 3, 30, 30, dtype=torch.float64)
    blocks = x.numpy().reshape(2, 3, 15, 2, 15, 2).mean((3, 5))
    np.testing.assert_allclose(resize_map(x, (15, 15)).numpy(), blocks,
                               rtol=1e-12)


@pytest.mark.parametrize('shape,size', [((15, 15), (4, 4)),
                                        ((30, 40), (15, 20)),
                                        ((16, 16), (3, 7))])
def test_non_integer_factor_averages_each_bin(shape, size):
    x = torch.randn(2, 3, *shape, dtype=torch.float64)
    a_h, a_w = bin_matrix(shape[0], size[0]), bin_matrix(shape[1], size[1])
    expected = np.einsum('ih,bchw,jw->bcij', a_h, x.numpy(), a_w)
    np.testing.assert_allclose(resize_map(x, size).numpy(), expected,
                               rtol=1e-12)
    # every input position has weight in the result
    assert (a_h.sum(0) > 0).all() and (a_w.sum(0) > 0).all()


def test_upsampling_is_bilinear_as_before():
    x = torch.randn(2, 3, 4, 5)
    expected = F.interpolate(x, size=(8, 15), mode='bilinear',
                             align_corners=False)
    torch.testing.assert_close(resize_map(x, (8, 15)), expected, rtol=0,
                               atol=0)


def test_an_axis_that_shrinks_is_pooled_and_one_that_grows_interpolated():
    x = torch.randn(1, 2, 16, 3, dtype=torch.float64)
    pooled = x.numpy().reshape(1, 2, 4, 4, 3).mean(3)      # 16 -> 4 rows
    expected = F.interpolate(torch.from_numpy(pooled), size=(4, 6),
                             mode='bilinear', align_corners=False)
    torch.testing.assert_close(resize_map(x, (4, 6)), expected)


def test_same_grid_is_returned_unchanged_and_gradients_reach_every_cell():
    x = torch.randn(1, 2, 6, 6, requires_grad=True)
    assert resize_map(x, (6, 6)) is x
    resize_map(x, (1, 1)).sum().backward()
    torch.testing.assert_close(x.grad, torch.full_like(x, 1 / 36))


def test_align_to_student_uses_the_student_grid_and_names_bad_shapes():
    teacher, student = torch.randn(2, 8, 16, 16), torch.randn(2, 4, 1, 1)
    torch.testing.assert_close(align_to_student(teacher, student),
                               teacher.mean((2, 3), keepdim=True))
    with pytest.raises(ValueError, match=r'\(2, 8, 16\).*\(2, 4, 1, 1\)'):
        align_to_student(torch.randn(2, 8, 16), student)
