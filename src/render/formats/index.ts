export {
  ASPECT_PRESETS,
  type AspectPreset,
  outputSize,
  RESOLUTION_CAPS,
  type ResolutionCap,
} from "./presets.ts";
