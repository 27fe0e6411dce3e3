"""The backbones of REFILLED's tables against independent forwards: timm's
MobileNet v1, a functional WideResNet written from the paper, and the
published parameter counts."""
import pytest
import timm
import torch
import torch.nn.functional as F

from mmxtkd.models.classification import MobileNetV1, WideResNetCIFAR


def copy_in_order(src: torch.nn.Module, dst: torch.nn.Module) -> None:
    """dst's state (same layout, other names) from src's, entry by entry."""
    pairs = list(zip(src.state_dict().values(), dst.state_dict().items()))
    assert len(pairs) == len(dst.state_dict()) == len(src.state_dict())
    state = {}
    for value, (key, own) in pairs:
        assert value.shape == own.shape, key
        state[key] = value
    dst.load_state_dict(state)


def randomise_bn(model: torch.nn.Module) -> None:
    gen = torch.Generator().manual_seed(0)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen))
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + .5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + .5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen))


def test_mobilenet_v1_is_timms_with_relu():
    torch.manual_seed(0)
    reference = timm.create_model('mobilenetv1_100', act_layer=torch.nn.ReLU,
                                  num_classes=0, global_pool='').eval()
    randomise_bn(reference)
    ours = MobileNetV1(widen_factor=1.0, out_indices=(2, 4)).eval()
    copy_in_order(reference, ours)
    x = torch.randn(2, 3, 96, 128)
    with torch.no_grad():
        mid, last = ours(x)
        expected = reference.forward_features(x)
        stages = reference.forward_intermediates(x, indices=[2],
                                                 intermediates_only=True)
    torch.testing.assert_close(last, expected, rtol=1e-4, atol=1e-4)
    assert last.shape == (2, 1024, 3, 4)
    assert mid.shape == (2, 256, 12, 16)  # stride 8
    torch.testing.assert_close(mid, stages[0], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('widen,channels', [(0.75, 768), (0.5, 512),
                                            (0.25, 256)])
def test_mobilenet_v1_width_multipliers_scale_every_layer(widen, channels):
    model = MobileNetV1(widen_factor=widen)
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    assert convs[0].out_channels == int(32 * widen)
    assert [c.out_channels for c in convs[2::2]] == [
        int(c * widen) for c in (64, 128, 128, 256, 256, 512, 512, 512,
                                 512, 512, 512, 1024, 1024)]
    assert model(torch.randn(1, 3, 64, 64))[0].shape == (1, channels, 2, 2)
    with pytest.raises(ValueError, match='out_indices: 5 is not a stage'):
        MobileNetV1(out_indices=(5, ))


def test_mobilenet_v1_frozen_stages_stay_frozen():
    model = MobileNetV1(frozen_stages=1).train()
    assert not any(p.requires_grad for p in model.stem.parameters())
    assert not any(p.requires_grad for p in model.stages[0].parameters())
    assert all(p.requires_grad for p in model.stages[1].parameters())
    assert not model.stem.bn.training and model.stages[1][0].bn.training


def wrn_reference(params, x, depth, widen):
    """WRN-d-k written from the paper's description, functionally."""
    def bn(x, name):
        return F.batch_norm(x, params[name + '.mean'], params[name + '.var'],
                            params[name + '.w'], params[name + '.b'],
                            training=False)

    x = F.conv2d(x, params['conv0'], padding=1)
    n = (depth - 4) // 6
    for g in range(3):
        for b in range(n):
            name = f'g{g}.b{b}'
            stride = 2 if g > 0 and b == 0 else 1
            o = F.relu(bn(x, name + '.bn0'))
            y = F.conv2d(o, params[name + '.conv0'], stride=stride, padding=1)
            y = F.relu(bn(y, name + '.bn1'))
            y = F.conv2d(y, params[name + '.conv1'], padding=1)
            if name + '.convdim' in params:
                x = F.conv2d(o, params[name + '.convdim'], stride=stride)
            x = x + y
    return F.relu(bn(x, 'bn'))


def wrn_params(depth, widen, gen):
    """The reference's parameters, in its own layout and creation order."""
    params = {'conv0': torch.randn(16, 3, 3, 3, generator=gen) * 0.3}
    n, cin = (depth - 4) // 6, 16

    def bn(name, c):
        params.update({name + '.w': torch.rand(c, generator=gen) + .5,
                       name + '.b': torch.randn(c, generator=gen) * .1,
                       name + '.mean': torch.randn(c, generator=gen) * .1,
                       name + '.var': torch.rand(c, generator=gen) + .5})

    for g, width in enumerate([16 * widen, 32 * widen, 64 * widen]):
        for b in range(n):
            name, c = f'g{g}.b{b}', cin if b == 0 else width
            bn(name + '.bn0', c)
            params[name + '.conv0'] = torch.randn(width, c, 3, 3,
                                                  generator=gen) * 0.1
            bn(name + '.bn1', width)
            params[name + '.conv1'] = torch.randn(width, width, 3, 3,
                                                  generator=gen) * 0.1
            if c != width or (g > 0 and b == 0):
                params[name + '.convdim'] = torch.randn(width, c, 1, 1,
                                                        generator=gen) * .3
        cin = width
    bn('bn', cin)
    return params


@pytest.mark.parametrize('depth,widen', [(16, 2), (10, 1)])
def test_wide_resnet_against_a_functional_reference(depth, widen):
    gen = torch.Generator().manual_seed(0)
    params = wrn_params(depth, widen, gen)
    model = WideResNetCIFAR(depth, widen, drop_rate=0.3)
    model.eval()  # mmpretrain's BaseBackbone.train returns None
    # ours holds, per BN, weight bias mean var (+ a step count)
    state, it = {}, iter(params.items())
    for key, own in model.state_dict().items():
        if key.endswith('num_batches_tracked'):
            state[key] = own
            continue
        name, value = next(it)
        assert value.shape == own.shape, (key, name)
        state[key] = value
    model.load_state_dict(state)
    x = torch.randn(2, 3, 32, 32, generator=gen)
    with torch.no_grad():
        torch.testing.assert_close(model(x)[0],
                                   wrn_reference(params, x, depth, widen),
                                   rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('depth,widen,millions', [
    (40, 2, 2.26), (16, 2, 0.70), (40, 1, 0.57), (16, 1, 0.18)])
def test_wide_resnet_sizes_are_the_published_ones(depth, widen, millions):
    # with a 100-class linear head, as the KD literature counts them
    model = WideResNetCIFAR(depth, widen)
    count = sum(p.numel() for p in model.parameters()) + \
        64 * widen * 100 + 100
    assert round(count / 1e6, 2) == millions
    assert model(torch.randn(1, 3, 32, 32))[0].shape == (1, 64 * widen, 8, 8)
    with pytest.raises(ValueError, match='depth 6n \\+ 4'):
        WideResNetCIFAR(depth=20)
