import COpenH264

extension H264Encoder {
    /// openh264's parameters for `configuration`: its defaults, then what `H264Encoder` documents
    /// (one spatial and one temporal layer, Constrained Baseline, one slice, constant SPS/PPS ids,
    /// no frame skipping, no scene-change IDRs, one thread) and the configured rate control.
    static func parameters(
        _ configuration: H264EncoderConfiguration, defaults encoder: UnsafeMutablePointer<ISVCEncoder?>
    ) throws(H264Error) -> SEncParamExt {
        var parameters = SEncParamExt()
        guard encoder.pointee!.pointee.GetDefaultParams!(encoder, &parameters) == 0 else {
            throw H264Error(.initialization, "openh264 GetDefaultParams failed for \(configuration)")
        }
        let width = Int32(configuration.size.width)
        let height = Int32(configuration.size.height)
        let frameRate = Float(configuration.framesPerSecond)
        parameters.iUsageType = CAMERA_VIDEO_REAL_TIME
        parameters.iPicWidth = width
        parameters.iPicHeight = height
        parameters.fMaxFrameRate = frameRate
        parameters.iSpatialLayerNum = 1
        parameters.iTemporalLayerNum = 1
        parameters.uiIntraPeriod = UInt32(configuration.keyframeInterval)
        parameters.eSpsPpsIdStrategy = CONSTANT_ID
        parameters.bPrefixNalAddingCtrl = false
        parameters.bEnableSSEI = false
        parameters.iEntropyCodingModeFlag = 0  // CAVLC: Baseline has no CABAC
        parameters.bEnableFrameSkip = false
        parameters.bEnableSceneChangeDetect = false
        parameters.iMultipleThreadIdc = 1
        var layer = parameters.sSpatialLayers.0
        layer.iVideoWidth = width
        layer.iVideoHeight = height
        layer.fFrameRate = frameRate
        layer.uiProfileIdc = PRO_BASELINE
        layer.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE
        layer.sSliceArgument.uiSliceNum = 1
        switch configuration.rateControl {
        case .quality(let quality):
            parameters.iRCMode = RC_OFF_MODE
            layer.iDLayerQp = Int32(H264RateControl.quantizer(forQuality: quality))
        case .bitrate(let bitsPerSecond):
            parameters.iRCMode = RC_BITRATE_MODE
            parameters.iTargetBitrate = Int32(bitsPerSecond)
            layer.iSpatialBitrate = Int32(bitsPerSecond)
        }
        parameters.sSpatialLayers.0 = layer
        return parameters
    }
}
