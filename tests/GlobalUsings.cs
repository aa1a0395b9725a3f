global using Xunit;
global using GpuColorTransfer.Tests.Support;
