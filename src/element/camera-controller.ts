/**
 * The front camera as a Lit reactive controller: starts a stream on request,
 * tells the host when real (non-black) frames arrive, captures a photo, and
 * stops every track on every way out (capture done, dialog closed, page
 * hidden, error, element removed).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FashnError } from '../api/errors.js';
import {
  PHOTO_DEFAULTS,
  drawOnWhite,
  encodeWithinBudget,
  fitWithin,
  type Size,
} from '../capture/encode.js';

export interface CameraControllerOptions {
  /** Called with a `camera-denied` / `camera-unavailable` error (the stream is already stopped). */
  onError: (error: FashnError) => void;
}

/** Maps a getUserMedia failure to the public error codes (README "Errors"). */
function cameraError(cause: unknown): FashnError {
  const name = (cause as { name?: string } | null)?.name;
  const denied = name === 'NotAllowedError' || name === 'SecurityError';
  return new FashnError({
    code: denied ? 'camera-denied' : 'camera-unavailable',
    step: 'capture',
    retriable: false,
    message: denied ? 'Camera access was denied' : `Camera unavailable${name ? ` (${name})` : ''}`,
    cause,
  });
}

/** How often the preview is looked at until it shows a picture. */
const FRAME_POLL_MS = 50;
/** Frames that stay dark this long are taken as a dark scene, not a camera still starting. */
const DARK_SCENE_MS = 1500;

export class CameraController implements ReactiveController {
  /** The live stream, while the camera runs. */
  stream: MediaStream | undefined;
  /** True once a frame that is not all black has been shown. */
  ready = false;
  /** Number of video inputs seen (the switch button shows when > 1). */
  cameras = 0;
  error: FashnError | undefined;

  #wanted = false;
  #generation = 0;
  #deviceIndex = 0;
  /** The video inputs seen at the last start (in the order switching goes through). */
  #inputs: MediaDeviceInfo[] = [];
  #video: HTMLVideoElement | undefined;
  /** The photos this camera took, with their sizes. */
  readonly #taken = new WeakMap<Blob, Size>();
  readonly #onVisibility = () => {
    if (document.visibilityState === 'hidden') this.#release();
    else if (this.#wanted && !this.stream) void this.#open();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: CameraControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.stop();
  }

  /** Starts the camera (no-op when it already runs or is starting). */
  start(): void {
    if (this.#wanted) return;
    this.#wanted = true;
    this.error = undefined;
    void this.#open();
  }

  /** Stops every track and forgets the stream; the camera stays off until `start()`. */
  stop(): void {
    this.#wanted = false;
    this.#release();
  }

  /** The camera gives no photo: it stops, shows `error` ("Try again" starts it) and tells `onError`. */
  fail(error: FashnError): void {
    this.stop();
    this.error = error;
    this.options.onError(error);
  }

  /** Moves to the next camera when there are several. */
  switchCamera(): void {
    if (this.cameras < 2) return;
    this.#deviceIndex = (this.#deviceIndex + 1) % this.cameras;
    this.#release();
    if (this.#wanted) void this.#open();
  }

  /** The `<video>` the stream plays in (call from the host's `updated()`). */
  attach(video: HTMLVideoElement | undefined): void {
    if (video === this.#video && (!video || video.srcObject === (this.stream ?? null))) return;
    this.#video = video;
    if (!video) return;
    // iOS autoplays inline only a muted video: keep the state muted, not only the attribute.
    video.muted = true;
    video.srcObject = this.stream ?? null;
    if (this.stream) {
      void video.play().catch(() => {});
      this.#watchFrames(video, this.#generation);
    }
  }

  /**
   * The current frame as the photo to send, in its final form: a JPEG of at
   * most 1600 px and 600 KiB, encoded once (no decode, no second JPEG
   * generation, no file pipeline). Not mirrored: the preview is mirrored only by CSS.
   */
  async capture(): Promise<Blob> {
    const video = this.#video;
    if (!video || !this.ready)
      throw new FashnError({ code: 'camera-unavailable', step: 'capture' });
    const size = fitWithin(
      { width: video.videoWidth, height: video.videoHeight },
      PHOTO_DEFAULTS.maxSide,
    );
    const { blob, width, height } = await encodeWithinBudget(
      drawOnWhite(video, size),
      PHOTO_DEFAULTS,
    );
    this.#taken.set(blob, { width, height });
    return blob;
  }

  /** The size of `photo` when this camera took it (it is then final as it is). */
  took(photo: Blob): Size | undefined {
    return this.#taken.get(photo);
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation || !this.#wanted;
    const devices = navigator.mediaDevices;
    try {
      if (!window.isSecureContext || !devices?.getUserMedia)
        throw new DOMException('getUserMedia is not available', 'NotSupportedError');
      const deviceId = this.#inputs[this.#deviceIndex]?.deviceId;
      const stream = await devices.getUserMedia({
        audio: false,
        video: {
          ...(this.#deviceIndex && deviceId
            ? { deviceId: { exact: deviceId } }
            : { facingMode: 'user' }),
          width: { ideal: 1280 },
          height: { ideal: 720 },
        },
      });
      // Labels and the full list are only known once permission is granted.
      if (!stale())
        this.#inputs =
          (await devices.enumerateDevices?.())?.filter((d) => d.kind === 'videoinput') ?? [];
      if (stale()) {
        stopTracks(stream);
        return;
      }
      this.cameras = this.#inputs.length || 1;
      this.stream = stream;
      this.ready = false;
      if (this.#video) {
        this.#video.srcObject = stream;
        void this.#video.play().catch(() => {});
        this.#watchFrames(this.#video, generation);
      }
    } catch (cause) {
      if (generation !== this.#generation) return;
      this.fail(cameraError(cause));
    }
    this.host.requestUpdate();
  }

  /**
   * Marks the camera ready at the first frame that is not (nearly) black, or
   * once frames have come for DARK_SCENE_MS (a dark room is still a photo).
   * Polls on a timer rather than `requestVideoFrameCallback`, which runs
   * only when the page repaints: in a WebKit session driven by hand the
   * preview played yet "Take photo" stayed disabled.
   */
  #watchFrames(video: HTMLVideoElement, generation: number): void {
    const probe = new OffscreenCanvas(16, 16).getContext('2d', { willReadFrequently: true })!;
    let firstFrame: number | undefined;
    const check = () => {
      if (generation !== this.#generation || this.ready || video.srcObject !== this.stream) return;
      if (video.videoWidth > 0 && video.readyState > 1 /* HAVE_CURRENT_DATA */) {
        firstFrame ??= performance.now();
        probe.drawImage(video, 0, 0, 16, 16);
        const pixels = probe.getImageData(0, 0, 16, 16).data;
        let lit = 0;
        for (let i = 0; i < pixels.length; i += 4)
          if (pixels[i] + pixels[i + 1] + pixels[i + 2] > 60) lit++;
        if (lit > 8 || performance.now() - firstFrame > DARK_SCENE_MS) {
          this.ready = true;
          this.host.requestUpdate();
          return;
        }
      }
      setTimeout(check, FRAME_POLL_MS);
    };
    check();
  }

  #release(): void {
    this.#generation++;
    if (this.stream) stopTracks(this.stream);
    this.stream = undefined;
    this.ready = false;
    if (this.#video) this.#video.srcObject = null;
    this.host.requestUpdate();
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}
