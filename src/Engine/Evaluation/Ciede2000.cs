namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>
/// The CIEDE2000 colour difference (CIE 142-2001), written from Sharma, Wu and Dalal, "The
/// CIEDE2000 color-difference formula: implementation notes, supplementary test data, and
/// mathematical observations", Color Res. Appl. 30(1), 2005, with kL = kC = kH = 1.
/// </summary>
public static class Ciede2000
{
    private static double Deg(double rad) => rad * 180 / Math.PI;
    private static double Rad(double deg) => deg * Math.PI / 180;

    /// <summary>Delta E 00 between two CIELAB colours.</summary>
    public static double DeltaE(double l1, double a1, double b1, double l2, double a2, double b2)
    {
        // Step 1: C'_i and h'_i
        double c1 = Math.Sqrt(a1 * a1 + b1 * b1), c2 = Math.Sqrt(a2 * a2 + b2 * b2);
        double cMean7 = Math.Pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.Sqrt(cMean7 / (cMean7 + Math.Pow(25, 7))));
        double ap1 = (1 + g) * a1, ap2 = (1 + g) * a2;
        double cp1 = Math.Sqrt(ap1 * ap1 + b1 * b1), cp2 = Math.Sqrt(ap2 * ap2 + b2 * b2);
        double hp1 = cp1 == 0 ? 0 : (Deg(Math.Atan2(b1, ap1)) + 360) % 360;
        double hp2 = cp2 == 0 ? 0 : (Deg(Math.Atan2(b2, ap2)) + 360) % 360;

        // Step 2: delta L', delta C', delta H'
        double dL = l2 - l1, dC = cp2 - cp1;
        double dh = 0;
        if (cp1 * cp2 != 0)
        {
            dh = hp2 - hp1;
            if (dh > 180) dh -= 360;
            else if (dh < -180) dh += 360;
        }
        double dH = 2 * Math.Sqrt(cp1 * cp2) * Math.Sin(Rad(dh / 2));

        // Step 3: the weighting functions
        double lMean = (l1 + l2) / 2, cpMean = (cp1 + cp2) / 2;
        double hMean = hp1 + hp2;
        if (cp1 * cp2 != 0)
        {
            if (Math.Abs(hp1 - hp2) <= 180) hMean /= 2;
            else hMean = hMean < 360 ? (hMean + 360) / 2 : (hMean - 360) / 2;
        }
        double t = 1 - 0.17 * Math.Cos(Rad(hMean - 30)) + 0.24 * Math.Cos(Rad(2 * hMean))
                 + 0.32 * Math.Cos(Rad(3 * hMean + 6)) - 0.20 * Math.Cos(Rad(4 * hMean - 63));
        double dTheta = 30 * Math.Exp(-Math.Pow((hMean - 275) / 25, 2));
        double cpMean7 = Math.Pow(cpMean, 7);
        double rc = 2 * Math.Sqrt(cpMean7 / (cpMean7 + Math.Pow(25, 7)));
        double l50 = (lMean - 50) * (lMean - 50);
        double sl = 1 + 0.015 * l50 / Math.Sqrt(20 + l50), sc = 1 + 0.045 * cpMean, sh = 1 + 0.015 * cpMean * t;
        double rt = -Math.Sin(Rad(2 * dTheta)) * rc;
        double tl = dL / sl, tc = dC / sc, th = dH / sh;
        return Math.Sqrt(tl * tl + tc * tc + th * th + rt * tc * th);
    }
}
