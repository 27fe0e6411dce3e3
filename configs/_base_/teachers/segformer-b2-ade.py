# A segmentation teacher from transformers (not in the papers): SegFormer-B2
# fine-tuned on ADE20K at 512x512 (huggingface.co/nvidia/segformer-b2-
# finetuned-ade-512-512, its folder in checkpoints/segformer-b2-ade). Z_t: its
# encoder's last stage after the stage norm (the base model's output), 512 x
# H/32 x W/32; its input normalisation is ImageNet's, as the students'.
segformer_b2_ade_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(type='mmxtkd.TransformersFeatures',
               folder='checkpoints/segformer-b2-ade',
               layer='segformer'))
segformer_b2_ade_channels = 512
