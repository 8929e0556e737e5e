import { z } from "zod";

/** The timeline format version this renderer reads. */
export const TIMELINE_VERSION = 1;

const seconds = z.number().finite().nonnegative();
const positiveSeconds = z.number().finite().positive();
/** `#rrggbb` or `#rrggbbaa`. */
const colour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, "expected a colour like #112233 or #11223380");
const assetPath = z.string().min(1, "expected a local file path");
const unit = z.number().min(0).max(1);

/** Encoding quality levels; each maps to a CRF and an x264 preset (see `qualitySettings`). */
export const QUALITY_LEVELS = ["draft", "standard", "high"] as const;
/** One of {@link QUALITY_LEVELS}. */
export type QualityLevel = (typeof QUALITY_LEVELS)[number];

/** The video the timeline renders to: H.264 High yuv420p + AAC in MP4. */
const OutputSchema = z.strictObject({
  width: z.number().int().min(16).max(4096),
  height: z.number().int().min(16).max(4096),
  fps: z.number().int().min(1).max(60).default(30),
  quality: z.enum(QUALITY_LEVELS).default("standard"),
  /** Integrated loudness target in LUFS (EBU R128): -16 by default, -14 for social. */
  loudnessTarget: z.number().min(-36).max(-5).default(-16),
  /** True-peak ceiling in dBTP. */
  truePeak: z.number().min(-9).max(0).default(-1.5),
});

/** How an image or video of another aspect fills the frame. */
const FitSchema = z.enum(["blur", "crop", "contain"]);
/** One of "blur" (blurred-background fill), "crop" (smart crop around `focus`), "contain" (bars). */
export type Fit = z.infer<typeof FitSchema>;

/** Easing curve of a motion. */
const EasingSchema = z.enum(["linear", "ease-in", "ease-out", "ease-in-out"]);
/** One of the {@link EasingSchema} values. */
export type Easing = z.infer<typeof EasingSchema>;

/** Ken Burns motion over a still: zoom in or out, or pan in a direction. */
export const MotionSchema = z.strictObject({
  type: z.enum(["none", "zoom-in", "zoom-out", "pan"]),
  /** Pan direction (the way the camera moves); ignored for zooms. */
  direction: z
    .enum(["left", "right", "up", "down", "up-left", "up-right", "down-left", "down-right"])
    .default("right"),
  easing: EasingSchema.default("ease-in-out"),
  /** 0..1: how far the zoom or pan goes (0.2 = 20% zoom, or a pan over 20% of the frame). */
  amount: z.number().min(0).max(1).default(0.2),
  /**
   * The part of the move this clip plays, as fractions 0..1 of the whole path (easing included), so
   * consecutive clips of one still with ranges [0, 1/3], [1/3, 2/3], [2/3, 1] continue one move.
   * @defaultValue `{ from: 0, to: 1 }`
   */
  range: z.strictObject({ from: unit, to: unit }).optional(),
});
/** Parsed {@link MotionSchema}. */
export type Motion = z.infer<typeof MotionSchema>;

/** Focus point for smart crops, as fractions of width and height. */
const FocusSchema = z.strictObject({ x: unit, y: unit });

/**
 * Narration attached to a clip, starting `offset` seconds after the clip starts. `from` and `length`
 * play only part of the file, so one recording can be cut across consecutive clips (shots): clip A
 * plays `{ from: 0, length: 4 }`, clip B `{ from: 4, length: 3 }`, and the cut is sample-exact when
 * the clips' start frames land on those times.
 */
const NarrationSchema = z.strictObject({
  path: assetPath,
  offset: seconds.default(0),
  /** Seconds into the file where playback starts. @defaultValue 0 */
  from: seconds.optional(),
  /** Seconds of the file to play. @defaultValue to the end of the file */
  length: positiveSeconds.optional(),
  volume: z.number().min(0).max(4).default(1),
});
/** Parsed {@link NarrationSchema}. */
export type Narration = z.infer<typeof NarrationSchema>;

/** How this clip is entered from the previous one. */
const TransitionSchema = z.strictObject({
  type: z.enum(["none", "crossfade", "fade-black"]),
  duration: seconds.default(0.5),
});
/** Parsed {@link TransitionSchema}. */
export type Transition = z.infer<typeof TransitionSchema>;

const clipCommon = {
  /** Stable id, used for caching, chapters and error messages. */
  id: z.string().min(1).max(200),
  duration: positiveSeconds,
  /** The transition from the previous clip into this one (ignored on the first clip). */
  transitionIn: TransitionSchema.optional(),
  narration: NarrationSchema.optional(),
};

/** A still image, optionally animated with a Ken Burns motion. */
const ImageClipSchema = z.strictObject({
  ...clipCommon,
  type: z.literal("image"),
  path: assetPath,
  motion: MotionSchema.default({ type: "none", direction: "right", easing: "ease-in-out", amount: 0.2 }),
  fit: FitSchema.default("blur"),
  focus: FocusSchema.default({ x: 0.5, y: 0.5 }),
});

/** A video file, trimmed and looped or frozen to fill the clip. */
const VideoClipSchema = z.strictObject({
  ...clipCommon,
  type: z.literal("video"),
  path: assetPath,
  trimStart: seconds.default(0),
  trimEnd: positiveSeconds.optional(),
  /**
   * When the source is shorter than the clip: hold its last frame, or loop it (a loop replays the
   * whole file; `trimStart`/`trimEnd` cut the first pass only).
   */
  fill: z.enum(["loop", "freeze"]).default("freeze"),
  fit: FitSchema.default("blur"),
  focus: FocusSchema.default({ x: 0.5, y: 0.5 }),
});

/** A solid colour, or a linear gradient from `colour` to `to`. */
const ColourClipSchema = z.strictObject({
  ...clipCommon,
  type: z.literal("colour"),
  colour,
  to: colour.optional(),
  direction: z.enum(["vertical", "horizontal"]).default("vertical"),
});

/** A title card: text over a colour. */
const TitleClipSchema = z.strictObject({
  ...clipCommon,
  type: z.literal("title"),
  text: z.string().min(1).max(500),
  subtitle: z.string().max(500).optional(),
  /** A DejaVu family file name (e.g. "DejaVuSerif-Bold.ttf") or a path to a .ttf/.otf file. */
  font: z.string().default("DejaVuSans-Bold.ttf"),
  /** Font size as a fraction of the output height. */
  size: z.number().min(0.01).max(0.5).default(0.08),
  colour: colour.default("#ffffff"),
  background: colour.default("#000000"),
});

/** Every clip type, discriminated by `type`. */
const ClipSchema = z.discriminatedUnion("type", [
  ImageClipSchema,
  VideoClipSchema,
  ColourClipSchema,
  TitleClipSchema,
]);
/** Parsed {@link ClipSchema}. */
export type Clip = z.infer<typeof ClipSchema>;
/** Parsed {@link ImageClipSchema}. */
export type ImageClip = z.infer<typeof ImageClipSchema>;
/** Parsed {@link VideoClipSchema}. */
export type VideoClip = z.infer<typeof VideoClipSchema>;
/** Parsed {@link ColourClipSchema}. */
export type ColourClip = z.infer<typeof ColourClipSchema>;
/** Parsed {@link TitleClipSchema}. */
export type TitleClip = z.infer<typeof TitleClipSchema>;

/** Background music for the whole video, ducked under narration. */
export const MusicSchema = z.strictObject({
  path: assetPath,
  volume: z.number().min(0).max(4).default(0.3),
  fadeIn: seconds.default(1),
  fadeOut: seconds.default(2),
  /** Sidechain ducking under narration; `false` to keep the music level constant. */
  duck: z.boolean().default(true),
});
/** Parsed {@link MusicSchema}. */
export type Music = z.infer<typeof MusicSchema>;

/** One word of a caption cue with its own timing (seconds on the video timeline). */
const CaptionWordSchema = z.strictObject({ text: z.string().min(1), start: seconds, end: seconds });
/** Parsed {@link CaptionWordSchema}. */
export type CaptionWord = z.infer<typeof CaptionWordSchema>;

/** One caption cue; times are seconds on the final video timeline. */
const CaptionCueSchema = z.strictObject({
  start: seconds,
  end: positiveSeconds,
  text: z.string().min(1),
  words: z.array(CaptionWordSchema).optional(),
});
/** Parsed {@link CaptionCueSchema}. */
export type CaptionCue = z.infer<typeof CaptionCueSchema>;

/** How burned-in captions look (libass). */
export const CaptionStyleSchema = z.strictObject({
  font: z.string().default("DejaVu Sans"),
  /** Font size as a fraction of the output height. */
  size: z.number().min(0.01).max(0.3).default(0.055),
  colour: colour.default("#ffffff"),
  /** Colour of the word being spoken when `highlightWords` is on. */
  highlightColour: colour.default("#ffd700"),
  outlineColour: colour.default("#000000"),
  outline: z.number().min(0).max(20).default(2),
  position: z.enum(["bottom", "middle", "top"]).default("bottom"),
  maxLines: z.number().int().min(1).max(5).default(2),
  highlightWords: z.boolean().default(false),
  bold: z.boolean().default(true),
});
/** Parsed {@link CaptionStyleSchema}. */
export type CaptionStyle = z.infer<typeof CaptionStyleSchema>;

/** Captions: burned in (optionally) and always written as .srt and .vtt sidecars. */
const CaptionsSchema = z.strictObject({
  burnIn: z.boolean().default(true),
  style: CaptionStyleSchema.default(CaptionStyleSchema.parse({})),
  cues: z.array(CaptionCueSchema),
});
/** Parsed {@link CaptionsSchema}. */
export type Captions = z.infer<typeof CaptionsSchema>;

/** Corner or centre placement of an overlay. */
const PlacementSchema = z.enum(["top-left", "top-right", "bottom-left", "bottom-right", "center"]);

/** A watermark or logo drawn over every frame. */
const OverlaySchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("text"),
    text: z.string().min(1).max(200),
    position: PlacementSchema.default("bottom-right"),
    opacity: unit.default(0.5),
    /** Font size as a fraction of the output height. */
    size: z.number().min(0.01).max(0.3).default(0.04),
    colour: colour.default("#ffffff"),
  }),
  z.strictObject({
    type: z.literal("image"),
    path: assetPath,
    position: PlacementSchema.default("top-right"),
    opacity: unit.default(0.8),
    /** Overlay width as a fraction of the output width. */
    width: z.number().min(0.01).max(1).default(0.15),
  }),
]);
/** Parsed {@link OverlaySchema}. */
export type Overlay = z.infer<typeof OverlaySchema>;

/** A chapter marker written into the MP4. */
const ChapterSchema = z.strictObject({ title: z.string().min(1).max(200), start: seconds });
/** Parsed {@link ChapterSchema}. */
export type Chapter = z.infer<typeof ChapterSchema>;

/**
 * The whole video as data: output settings, ordered clips with their transitions and narration,
 * music, captions, overlays and chapters. JSON-serializable and versioned.
 */
export const TimelineSchema = z.strictObject({
  version: z.literal(TIMELINE_VERSION),
  output: OutputSchema,
  clips: z.array(ClipSchema).min(1, "a timeline needs at least one clip"),
  music: MusicSchema.optional(),
  captions: CaptionsSchema.optional(),
  watermark: OverlaySchema.optional(),
  logo: OverlaySchema.optional(),
  chapters: z.array(ChapterSchema).default([]),
  /** Where the JPEG thumbnail is taken, in seconds; defaults to a third of the way in. */
  thumbnailAt: seconds.optional(),
});

/** A parsed, defaults-filled timeline. */
export type Timeline = z.infer<typeof TimelineSchema>;
/** A timeline as written in JSON, before defaults are filled. */
export type TimelineInput = z.input<typeof TimelineSchema>;
/** Parsed {@link OutputSchema}. */
export type OutputSettings = z.infer<typeof OutputSchema>;
