export {
  measureFolder,
  type PruneRenderCacheOptions,
  type PruneRenderCacheResult,
  pruneRenderCache,
  type RenderCacheStats,
  type RenderCacheStatsOptions,
  renderCacheStats,
} from "./cache/index.ts";
export {
  createFfmpegRenderer,
  type FfmpegRendererOptions,
  type ProbedMedia,
  probeMedia,
} from "./ffmpeg/index.ts";
export { type AudioPiece, type JoinedAudio, joinAudio } from "./ffmpeg/join-audio.ts";
export {
  ASPECT_PRESETS,
  type AspectPreset,
  outputSize,
  RESOLUTION_CAPS,
  type ResolutionCap,
} from "./formats/index.ts";
export { parseTimeline, readTimelineFile } from "./parse-timeline.ts";
export type { QcCheck, QcCheckName, QcReport, TimeRange } from "./qc/index.ts";
export { type QcOptions, qc } from "./qc/index.ts";
export type {
  AssembleOptions,
  Renderer,
  RenderOptions,
  RenderProgress,
  RenderResult,
  RenderStage,
  SegmentAnalysis,
  SegmentResult,
} from "./renderer.ts";
export {
  type CaptionCue,
  type CaptionStyle,
  type Captions,
  type CaptionWord,
  type Chapter,
  type Clip,
  type ColourClip,
  type ImageClip,
  type Motion,
  type Music,
  type Narration,
  type OutputSettings,
  type Overlay,
  QUALITY_LEVELS,
  type QualityLevel,
  TIMELINE_VERSION,
  type Timeline,
  type TimelineInput,
  TimelineSchema,
  type TitleClip,
  type Transition,
  type VideoClip,
} from "./timeline.ts";
export { layoutTimeline, type TimelineLayout } from "./timeline-layout.ts";
