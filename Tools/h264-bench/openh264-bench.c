// The reference for Tools/h264-bench.sh: openh264 called directly, with the parameters Decoy's
// H264Encoder sets (Sources/DecoyMedia/H264/H264Encoder+Parameters.swift), on the same raw I420
// frames Decoy encoded. Prints one line: frames, wall and CPU seconds of the best pass, and fps.
//
// Usage: openh264-bench FRAMES.yuv WIDTH HEIGHT FPS QP GOP [PASSES]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wels/codec_api.h>

static double seconds(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: %s FRAMES.yuv WIDTH HEIGHT FPS QP GOP [PASSES]\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    int width = atoi(argv[2]), height = atoi(argv[3]), fps = atoi(argv[4]), qp = atoi(argv[5]), gop = atoi(argv[6]);
    int passes = argc > 7 ? atoi(argv[7]) : 3;
    size_t frameBytes = (size_t)width * height + 2 * (size_t)((width + 1) / 2) * ((height + 1) / 2);

    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); return 1; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    int count = (int)(size / (long)frameBytes);
    unsigned char *frames = malloc((size_t)count * frameBytes);
    if (!frames || count == 0 || fread(frames, frameBytes, (size_t)count, file) != (size_t)count) {
        fprintf(stderr, "%s: cannot read whole %dx%d I420 frames\n", path, width, height);
        return 1;
    }
    fclose(file);

    double bestWall = 1e30, bestCPU = 1e30;
    long long bytes = 0;
    for (int pass = 0; pass < passes; pass++) {
        ISVCEncoder *encoder;
        if (WelsCreateSVCEncoder(&encoder)) return 1;
        SEncParamExt p;
        (*encoder)->GetDefaultParams(encoder, &p);
        p.iUsageType = CAMERA_VIDEO_REAL_TIME;
        p.iPicWidth = width;
        p.iPicHeight = height;
        p.fMaxFrameRate = (float)fps;
        p.iSpatialLayerNum = 1;
        p.iTemporalLayerNum = 1;
        p.uiIntraPeriod = (unsigned)gop;
        p.eSpsPpsIdStrategy = CONSTANT_ID;
        p.bPrefixNalAddingCtrl = false;
        p.bEnableSSEI = false;
        p.iEntropyCodingModeFlag = 0;
        p.bEnableFrameSkip = false;
        p.bEnableSceneChangeDetect = false;
        p.iMultipleThreadIdc = 1;
        p.iRCMode = RC_OFF_MODE;
        SSpatialLayerConfig *layer = &p.sSpatialLayers[0];
        layer->iVideoWidth = width;
        layer->iVideoHeight = height;
        layer->fFrameRate = (float)fps;
        layer->uiProfileIdc = PRO_BASELINE;
        layer->sSliceArgument.uiSliceMode = SM_SINGLE_SLICE;
        layer->sSliceArgument.uiSliceNum = 1;
        layer->iDLayerQp = qp;
        if ((*encoder)->InitializeExt(encoder, &p)) { fprintf(stderr, "InitializeExt failed\n"); return 1; }

        SSourcePicture picture;
        memset(&picture, 0, sizeof picture);
        picture.iColorFormat = videoFormatI420;
        picture.iPicWidth = width;
        picture.iPicHeight = height;
        picture.iStride[0] = width;
        picture.iStride[1] = picture.iStride[2] = (width + 1) / 2;
        SFrameBSInfo info;
        bytes = 0;
        double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
        for (int index = 0; index < count; index++) {
            unsigned char *frame = frames + (size_t)index * frameBytes;
            picture.pData[0] = frame;
            picture.pData[1] = frame + (size_t)width * height;
            picture.pData[2] = picture.pData[1] + (size_t)((width + 1) / 2) * ((height + 1) / 2);
            picture.uiTimeStamp = (long long)index * 1000 / fps;
            if ((*encoder)->EncodeFrame(encoder, &picture, &info)) { fprintf(stderr, "EncodeFrame failed\n"); return 1; }
            bytes += info.iFrameSizeInBytes;
        }
        wall = seconds(CLOCK_MONOTONIC) - wall;
        cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
        if (wall < bestWall) bestWall = wall;
        if (cpu < bestCPU) bestCPU = cpu;
        (*encoder)->Uninitialize(encoder);
        WelsDestroySVCEncoder(encoder);
    }
    printf("openh264: %d frames %dx%d, %lld bytes; best of %d passes: %.3f s wall (%.1f fps), %.3f s CPU (%.1f fps)\n",
           count, width, height, bytes, passes, bestWall, count / bestWall, bestCPU, count / bestCPU);
    free(frames);
    return 0;
}
