import pytest
import torch

from mmxtkd.models import (InvertedProjector, ProjectorEnsemble,
                           TraditionalProjector)


@pytest.mark.parametrize('cls', [InvertedProjector, TraditionalProjector])
def test_linear_projector_is_one_matrix_per_position(cls):
    proj = cls(in_channels=5, out_channels=3)
    x = torch.randn(2, 5, 4, 6)
    (p, ) = proj.projection_matrices()
    assert p.shape == (3, 5)
    expected = torch.einsum('oc,bchw->bohw', p, x)
    torch.testing.assert_close(proj(x), expected)
    assert proj.proj.bias is None


def test_directions():
    assert InvertedProjector(4, 2).direction == 'teacher_to_student'
    assert TraditionalProjector(4, 2).direction == 'student_to_teacher'
    assert ProjectorEnsemble(4, 2, direction='teacher_to_student').direction \
        == 'teacher_to_student'


def test_ensemble_is_mean_of_relu_projections_with_bias():
    """PEFD's projector: Linear (with bias) then ReLU, averaged."""
    ens = ProjectorEnsemble(in_channels=4, out_channels=3, num_projectors=3)
    x = torch.randn(2, 4, 3, 3)
    mats = ens.projection_matrices()
    biases = [p.bias.detach() for p in ens.projectors]
    assert len(mats) == 3 and all(m.shape == (3, 4) for m in mats)
    assert all(b.shape == (3, ) and b.abs().sum() > 0 for b in biases)
    expected = sum(torch.relu(torch.einsum('oc,bchw->bohw', m, x)
                              + b.view(1, -1, 1, 1))
                   for m, b in zip(mats, biases)) / 3
    torch.testing.assert_close(ens(x), expected)
    assert all(p.bias is None for p in
               ProjectorEnsemble(4, 3, bias=False).projectors)


@pytest.mark.parametrize('proj', [InvertedProjector(768, 80),
                                  TraditionalProjector(80, 768),
                                  ProjectorEnsemble(768, 80)])
def test_wrong_channel_count_names_both(proj):
    """Used alone, a projector leaves it to the convolution's own error;
    in a model, FeaturePair names the config key first."""
    with pytest.raises(RuntimeError, match=rf'to have {proj.in_channels} '
                       r'channels, but got 7'):
        proj(torch.randn(1, 7, 2, 2))


def test_ensemble_rejects_unknown_direction():
    with pytest.raises(ValueError, match='direction'):
        ProjectorEnsemble(4, 2, direction='sideways')


def test_projection_matrices_are_detached_views_of_the_weights():
    proj = InvertedProjector(3, 2)
    p = proj.projection_matrices()[0].clone()
    assert not proj.projection_matrices()[0].requires_grad
    with torch.no_grad():
        proj.proj.weight.mul_(2)
    torch.testing.assert_close(proj.projection_matrices()[0], 2 * p)
